using System.Runtime.InteropServices;
using SQLitePCL;

namespace Workbench.Core.Data;

// Column reads straight from the e_sqlite3 library that SQLitePCLRaw bundles, for the loops that read twenty million
// rows: SQLitePCLRaw's own calls go through a provider interface and reference-count the statement handle on each call,
// which cost more than the read itself. The column functions only look at the current row (no locks, no callbacks), so
// they skip the GC transition. Use only while the sqlite3_stmt that owns the pointer is alive and on the current row.
internal static unsafe class NativeSqlite
{
    private const string Library = "e_sqlite3";

    public readonly struct Row(sqlite3_stmt stmt)
    {
        private readonly IntPtr _stmt = stmt.DangerousGetHandle();

        // One step; true while there is a row.
        public bool Step(sqlite3 db)
        {
            var rc = sqlite3_step(_stmt);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc != raw.SQLITE_DONE) RawSqlite.Check(db, rc);
            return false;
        }

        // Text or blob bytes (empty for NULL), valid until the next step.
        public ReadOnlySpan<byte> Bytes(int column)
        {
            var p = sqlite3_column_blob(_stmt, column);
            return p == null ? default : new ReadOnlySpan<byte>(p, sqlite3_column_bytes(_stmt, column));
        }

        public double Double(int column) => sqlite3_column_double(_stmt, column);

        public bool IsNull(int column) => sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;
    }

    // A prepared insert or update: bind every parameter, then Run. Text is copied by SQLite (SQLITE_TRANSIENT).
    public readonly struct Statement(sqlite3 db, sqlite3_stmt stmt)
    {
        private readonly IntPtr _stmt = stmt.DangerousGetHandle();

        public void Text(int i, ReadOnlySpan<byte> utf8)
        {
            fixed (byte* p = utf8) sqlite3_bind_text(_stmt, i, p == null ? Empty : p, utf8.Length, Transient);
        }

        public void Integer(int i, long? value)
        {
            if (value is { } v) sqlite3_bind_int64(_stmt, i, v);
            else Null(i);
        }

        // NaN and infinities are stored as NULL: SQLite has no such values.
        public void Real(int i, double? value)
        {
            if (value is { } v && double.IsFinite(v)) sqlite3_bind_double(_stmt, i, v);
            else Null(i);
        }

        public void Null(int i) => sqlite3_bind_null(_stmt, i);

        public void Run()
        {
            var rc = sqlite3_step(_stmt);
            sqlite3_reset(_stmt);
            if (rc != raw.SQLITE_DONE) RawSqlite.Check(db, rc);
        }
    }

    private static readonly IntPtr Transient = new(-1);
    private static readonly byte* Empty = (byte*)NativeMemory.AllocZeroed(1);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_step(IntPtr stmt);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_reset(IntPtr stmt);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_text(IntPtr stmt, int i, byte* text, int length, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_int64(IntPtr stmt, int i, long value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_double(IntPtr stmt, int i, double value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_bind_null(IntPtr stmt, int i);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern byte* sqlite3_column_blob(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_column_bytes(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern double sqlite3_column_double(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    private static extern int sqlite3_column_type(IntPtr stmt, int column);
}
