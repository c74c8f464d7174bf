-- PostgreSQL roles and database of one rating deployment (docs/deployment.md, "PostgreSQL").
--
-- Run once, as a superuser (postgres), with psql:
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 \
--       -v owner_password="$(openssl rand -base64 33)" -v app_password="$(openssl rand -base64 33)" \
--       -f deploy/postgres/roles.sql
--
-- Optional variables (defaults in brackets): owner [rating_owner], app [rating_app], dbname [rating].
-- Then, as the owner:   rating db upgrade
--                        rating db grant-app-role rating_app        (after EVERY upgrade)
-- and run the service (web and workers) with DATABASE_URL naming the app role.
--
-- Two roles, neither a superuser:
--   owner  owns the database, the schema and every table; runs `rating db upgrade` (migrations, including the job
--          queue's procrastinate schema) and `rating db grant-app-role`. Its password is used only during upgrades.
--   app    what the web processes and `rating worker` connect as. It owns nothing. `rating db grant-app-role`
--          gives it SELECT/INSERT/UPDATE/DELETE on the service's and the queue's tables, SELECT and INSERT only on
--          audit_log (append-only: no UPDATE, DELETE, TRUNCATE), SELECT only on alembic_version, USAGE on the
--          sequences and EXECUTE on the functions (procrastinate's plpgsql functions), table by table.
--
-- Tables get no default privileges on purpose: a table added by a later migration stays closed to the app role
-- until `rating db grant-app-role` gives it exactly what the code lists (rating_service/grants.py) — a loud
-- failure if the step is forgotten, never a silent UPDATE/DELETE on a table that must be append-only.
-- Sequences and functions created by later migrations are covered by the default privileges below.

\if :{?owner}
\else
  \set owner rating_owner
\endif
\if :{?app}
\else
  \set app rating_app
\endif
\if :{?dbname}
\else
  \set dbname rating
\endif
\set ON_ERROR_STOP on
\if :{?owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'the owner role needs a password: psql -v owner_password=...'; END $$;
\endif
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'the app role needs a password: psql -v app_password=...'; END $$;
\endif

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';

CREATE DATABASE :"dbname" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
-- TEMPORARY: an import on PostgreSQL sends its rows by COPY into a temporary staging table first.
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"app";

\connect :"dbname"

-- The schema belongs to the owner; nobody else may create objects in it (PUBLIC could before PostgreSQL 15).
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Functions: not executable by PUBLIC, by the app role yes (the queue's functions run with the caller's rights, so
-- EXECUTE gives nothing the table grants do not). Sequences: the app role takes ids from them.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
