using System.Runtime.InteropServices;
using System.Text;
using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// A prepared statement bound through direct e_sqlite3 calls. Text is copied into an unmanaged buffer of the statement's
// own and bound SQLITE_STATIC (no copy and no allocation inside SQLite); the buffer is reused after each Run, so text
// holds for one run (see IRowStatement).
internal sealed unsafe class SqliteStatement : IRowStatement
{
    private const int BufferBytes = 256 * 1024;

    private readonly sqlite3 _db;
    private readonly IntPtr _dbHandle;
    private readonly sqlite3_stmt _stmt;
    private readonly IntPtr _handle;
    private readonly byte* _buffer = (byte*)NativeMemory.Alloc(BufferBytes);
    private int _used;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        _dbHandle = db.DangerousGetHandle();
        _stmt = SqliteCheck.Prepare(db, sql);
        _handle = _stmt.DangerousGetHandle();
    }

    public int Parameter(string name) => raw.sqlite3_bind_parameter_index(_stmt, name);

    public void Text(int parameter, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            Check(NativeSqlite.sqlite3_bind_text(_handle, parameter, NativeSqlite.Empty, 0, NativeSqlite.Static));
            return;
        }
        if (_used + utf8.Length > BufferBytes)
        {
            fixed (byte* p = utf8) Check(NativeSqlite.sqlite3_bind_text(_handle, parameter, p, utf8.Length, NativeSqlite.Transient));
            return;
        }
        var target = _buffer + _used;
        utf8.CopyTo(new Span<byte>(target, utf8.Length));
        _used += utf8.Length;
        Check(NativeSqlite.sqlite3_bind_text(_handle, parameter, target, utf8.Length, NativeSqlite.Static));
    }

    public void Text(int parameter, string? value)
    {
        if (value is null)
        {
            Null(parameter);
            return;
        }
        var max = value.Length * 3;
        if (max == 0 || _used + max > BufferBytes)
        {
            Text(parameter, Encoding.UTF8.GetBytes(value));
            return;
        }
        var target = _buffer + _used;
        var n = Encoding.UTF8.GetBytes(value, new Span<byte>(target, max));
        _used += n;
        Check(NativeSqlite.sqlite3_bind_text(_handle, parameter, target, n, NativeSqlite.Static));
    }

    public void Integer(int parameter, long? value)
    {
        if (value is { } v) Check(NativeSqlite.sqlite3_bind_int64(_handle, parameter, v));
        else Null(parameter);
    }

    public void Real(int parameter, double? value)
    {
        if (value is { } v && double.IsFinite(v)) Check(NativeSqlite.sqlite3_bind_double(_handle, parameter, v));
        else Null(parameter);
    }

    public void Null(int parameter) => Check(NativeSqlite.sqlite3_bind_null(_handle, parameter));

    public int Run()
    {
        var rc = NativeSqlite.sqlite3_step(_handle);
        NativeSqlite.sqlite3_reset(_handle);
        _used = 0;
        if (rc != NativeSqlite.Done) SqliteCheck.Check(_db, rc);
        return NativeSqlite.sqlite3_changes(_dbHandle);
    }

    private void Check(int rc)
    {
        if (rc != NativeSqlite.Ok) SqliteCheck.Check(_db, rc);
    }

    public void Dispose()
    {
        _stmt.Dispose();
        NativeMemory.Free(_buffer);
    }
}
