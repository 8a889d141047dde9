# Latency against offered load, 4x4 mesh, uniform random traffic (make bench-mesh).
# Called with: gnuplot -e "dat='...'; out='...'" bench/mesh_latency.gp
# Columns of the data file: see its header (written by bench/mesh_bench.c).
set terminal pngcairo size 960,640 font ",11"
set output out
set title "4x4 mesh, uniform random, 1..8-flit packets: packet latency against offered load"
set xlabel "offered load (flits/node/cycle; the 4/k bound is 1.0)"
set ylabel "latency from creation to tail delivery (cycles)"
set logscale y
set grid
set key top left
set y2label "accepted load (flits/node/cycle)"
set y2range [0:1.1]
set y2tics
set ytics nomirror
plot dat using 1:4 with linespoints lw 2 pt 7 lc rgb "#1f4e9c" title "RTL mean", \
     dat using 1:9 with points pt 6 ps 2 lc rgb "#1f4e9c" title "model mean", \
     dat using 1:6 with linespoints lw 2 pt 5 lc rgb "#b8450b" title "RTL p99", \
     dat using 1:11 with points pt 4 ps 2 lc rgb "#b8450b" title "model p99", \
     dat using 1:3 axes x1y2 with linespoints lw 2 dt 2 pt 9 lc rgb "#2a7d2a" title "RTL accepted (right axis)", \
     dat using 1:8 axes x1y2 with points pt 8 ps 2 lc rgb "#2a7d2a" title "model accepted (right axis)"
