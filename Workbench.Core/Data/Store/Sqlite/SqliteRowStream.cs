using System.Text;
using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// A forward-only cursor read through direct e_sqlite3 column calls (see NativeSqlite).
internal sealed unsafe class SqliteRowStream : IRowStream
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly IntPtr _handle;

    public SqliteRowStream(sqlite3 db, string sql, object?[] args)
    {
        _db = db;
        _stmt = SqliteCheck.Prepare(db, sql);
        _handle = _stmt.DangerousGetHandle();
        for (var i = 0; i < args.Length; i++) Bind(_stmt, i + 1, args[i]);
    }

    internal static void Bind(sqlite3_stmt stmt, int parameter, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(stmt, parameter),
            string s => raw.sqlite3_bind_text(stmt, parameter, s),
            long l => raw.sqlite3_bind_int64(stmt, parameter, l),
            int n => raw.sqlite3_bind_int64(stmt, parameter, n),
            bool b => raw.sqlite3_bind_int64(stmt, parameter, b ? 1 : 0),
            double d when double.IsFinite(d) => raw.sqlite3_bind_double(stmt, parameter, d),
            double => raw.sqlite3_bind_null(stmt, parameter),
            DateTime t => raw.sqlite3_bind_text(stmt, parameter, StoreTime.Format(t)),
            DateOnly d => raw.sqlite3_bind_text(stmt, parameter, StoreTime.Format(d)),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name}", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) throw new StoreException($"SQLite error {rc} binding parameter {parameter}", rc);
    }

    public bool Next()
    {
        var rc = NativeSqlite.sqlite3_step(_handle);
        if (rc == NativeSqlite.Row) return true;
        if (rc != NativeSqlite.Done) SqliteCheck.Check(_db, rc);
        return false;
    }

    public ReadOnlySpan<byte> Bytes(int column)
    {
        var p = NativeSqlite.sqlite3_column_blob(_handle, column);
        return p == null ? default : new ReadOnlySpan<byte>(p, NativeSqlite.sqlite3_column_bytes(_handle, column));
    }

    public string? Text(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(Bytes(column));

    public long Integer(int column) => NativeSqlite.sqlite3_column_int64(_handle, column);

    public double Real(int column) => NativeSqlite.sqlite3_column_double(_handle, column);

    public bool IsNull(int column) => NativeSqlite.sqlite3_column_type(_handle, column) == NativeSqlite.NullType;

    public StoreValueKind Kind(int column) => NativeSqlite.sqlite3_column_type(_handle, column) switch
    {
        1 => StoreValueKind.Integer,
        2 => StoreValueKind.Real,
        3 => StoreValueKind.Text,
        4 => StoreValueKind.Blob,
        _ => StoreValueKind.Null,
    };

    public void Dispose() => _stmt.Dispose();
}
