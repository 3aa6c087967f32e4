-- Report filters with the `regex` operator run in PostgreSQL's own regular expression engine
-- (`~*`), whose dialect differs from JavaScript's, so a definition's patterns are checked by
-- that engine when it is validated. regex_error(pattern) answers null when the engine accepts
-- the pattern, else the engine's message. The error is caught inside the function (a
-- subtransaction), so checking a pattern never aborts the caller's transaction.
create or replace function regex_error(pattern text) returns text as $$
begin
  perform '' ~* pattern;
  return null;
exception
  when invalid_regular_expression or program_limit_exceeded then
    return sqlerrm;
end
$$ language plpgsql stable;
