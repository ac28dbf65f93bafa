using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// Errors as exceptions carrying SQLite's own message.
internal static class SqliteCheck
{
    public static void Exec(sqlite3 handle, string sql) => Check(handle, raw.sqlite3_exec(handle, sql));

    public static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var stmt);
        if (rc != raw.SQLITE_OK) throw new StoreException($"SQLite error {rc}: {raw.sqlite3_errmsg(handle).utf8_to_string()} in: {sql}", rc);
        return stmt;
    }

    public static void Check(sqlite3 handle, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new StoreException($"SQLite error {rc}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
    }
}
