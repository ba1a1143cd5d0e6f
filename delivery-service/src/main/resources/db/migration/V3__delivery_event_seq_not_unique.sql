-- seq comes from its sequence, so it is unique without a unique index; the index was one more write for every
-- version of every row (insert, result, outcome published). Order and paging use the partial indexes that hold it.
alter table delivery_event drop constraint delivery_event_seq_key;
