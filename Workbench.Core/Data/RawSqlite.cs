using SQLitePCL;

namespace Workbench.Core.Data;

// Prepared statements on the native handle for the bulk paths (import, feature rebuild): no per-row objects.
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

    // Runs an insert or update and readies it for the next row.
    public static void Step(sqlite3 handle, sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_DONE) Check(handle, rc);
        raw.sqlite3_reset(stmt);
    }

    public static void Text(sqlite3_stmt stmt, int i, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(stmt, i);
        else raw.sqlite3_bind_text(stmt, i, value);
    }

    public static void Integer(sqlite3_stmt stmt, int i, long? value)
    {
        if (value is { } v) raw.sqlite3_bind_int64(stmt, i, v);
        else raw.sqlite3_bind_null(stmt, i);
    }

    // NaN and infinities are stored as NULL: SQLite has no such values.
    public static void Real(sqlite3_stmt stmt, int i, double? value)
    {
        if (value is { } v && double.IsFinite(v)) raw.sqlite3_bind_double(stmt, i, v);
        else raw.sqlite3_bind_null(stmt, i);
    }

    public static long Scalar(sqlite3 handle, string sql)
    {
        using var stmt = Prepare(handle, sql);
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_ROW) Check(handle, rc);
        return raw.sqlite3_column_int64(stmt, 0);
    }
}
