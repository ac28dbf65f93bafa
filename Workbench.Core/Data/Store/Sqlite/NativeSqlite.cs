using System.Runtime.InteropServices;

namespace Workbench.Core.Data.Store.Sqlite;

// Binds, steps and column reads straight from the e_sqlite3 library that SQLitePCLRaw bundles, for the loops over
// twenty million rows: SQLitePCLRaw's own calls go through a provider interface and reference-count the statement
// handle on each call, which cost more than the work itself. Binds and column reads only touch the statement (no
// locks, no callbacks), so they skip the GC transition; steps may run long and keep it.
internal static unsafe class NativeSqlite
{
    private const string Library = "e_sqlite3";

    public const int Ok = 0, Interrupt = 9, Row = 100, Done = 101, NullType = 5;

    // SQLITE_STATIC: the bytes stay valid until the value is bound again or the statement finalised; SQLITE_TRANSIENT:
    // SQLite copies them.
    public static readonly IntPtr Static = IntPtr.Zero, Transient = new(-1);
    public static readonly byte* Empty = (byte*)NativeMemory.AllocZeroed(1);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int sqlite3_step(IntPtr stmt);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int sqlite3_reset(IntPtr stmt);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_bind_text(IntPtr stmt, int i, byte* text, int length, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_bind_int64(IntPtr stmt, int i, long value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_bind_double(IntPtr stmt, int i, double value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_bind_null(IntPtr stmt, int i);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_changes(IntPtr db);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern long sqlite3_last_insert_rowid(IntPtr db);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern byte* sqlite3_column_blob(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_column_bytes(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern double sqlite3_column_double(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern long sqlite3_column_int64(IntPtr stmt, int column);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl), SuppressGCTransition]
    public static extern int sqlite3_column_type(IntPtr stmt, int column);
}
