using SQLitePCL;

namespace Workbench.Core.Data;

// Statements on the native handle for the bulk paths (feature rebuild): prepared once, errors as exceptions.
internal static class RawSqlite
{
    public static void Exec(sqlite3 handle, string sql) => Check(handle, raw.sqlite3_exec(handle, sql));

    public static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var stmt));
        return stmt;
    }

    public static void Check(sqlite3 handle, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(handle).utf8_to_string()}");
    }

    public static long Scalar(sqlite3 handle, string sql)
    {
        using var stmt = Prepare(handle, sql);
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_ROW) Check(handle, rc);
        return raw.sqlite3_column_int64(stmt, 0);
    }
}
