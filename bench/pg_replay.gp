# pg_replay.gp — the plot of bench/pg_replay.sh's table (gnuplot):
#   gnuplot -e "tsv='build/bench/pg-replay.tsv'; out='build/bench/pg-replay.png'" bench/pg_replay.gp
# x: articles stored; left (log scale): ingest rate and the p99s; right: database size.
set terminal png size 900,560
set output out
set title "rasd on PostgreSQL: archive replay (2 workers; machine load in the table)"
set xlabel "articles stored"
set ylabel "ingest articles/s;  p99 ms (log scale)"
set logscale y
set y2label "database MB"
set y2tics
set ytics nomirror
set key left top
set datafile missing "NA"
set datafile separator "\t"
plot tsv using 2:4 skip 1 with linespoints title "ingest articles/s (that round)", \
     tsv using 2:6 skip 1 with linespoints title "search p99 ms", \
     tsv using 2:7 skip 1 with linespoints title "brief p99 ms (column probe: serve or cli)", \
     tsv using 2:5 skip 1 axes x1y2 with linespoints title "database MB"
