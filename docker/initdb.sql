-- Run once by the postgres image on an empty volume: one database for Prefect, one for Duban.
CREATE DATABASE prefect;
CREATE DATABASE duban;
