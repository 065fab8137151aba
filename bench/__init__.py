"""The benchmark behind `make bench`: a generated data set and timed API workloads."""
