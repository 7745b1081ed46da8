-- Issue 17, the cluster view (decision 40): where each host runs, and the commands a console leaves for any host.
ALTER TABLE jd_host ADD COLUMN IF NOT EXISTS machine VARCHAR(255);
ALTER TABLE jd_host ADD COLUMN IF NOT EXISTS address VARCHAR(100);

-- A console asks a host to drain or stop through this table: the host, on any machine, polls it for its own id.
CREATE TABLE jd_host_command (
    id            UUID PRIMARY KEY,
    host_id       UUID         NOT NULL,
    command       VARCHAR(16)  NOT NULL,
    drain_seconds INT          NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_by  VARCHAR(255) NOT NULL,
    taken_at      TIMESTAMP WITH TIME ZONE,
    done_at       TIMESTAMP WITH TIME ZONE,
    outcome       VARCHAR(1000)
);
-- The host's poll, once a second: its own commands not yet taken.
CREATE INDEX jd_host_command_open_idx ON jd_host_command (host_id, taken_at);
