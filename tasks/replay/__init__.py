"""A past plan year replayed for newcomers: the simulated units and coordinators."""
