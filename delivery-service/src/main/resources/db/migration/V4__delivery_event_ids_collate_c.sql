-- Ids are compared byte for byte: every index on them (the message id's, the dispatcher's per-profile one, the
-- overview's) then compares with memcmp instead of the locale's strcoll, which showed among PostgreSQL's top costs
-- at 20,000 events/s. Only the indexes are rebuilt, not the table.
alter table delivery_event
    alter column message_id type text collate "C",
    alter column activation_id type text collate "C",
    alter column audience_id type text collate "C",
    alter column run_id type text collate "C",
    alter column profile_id type text collate "C";
