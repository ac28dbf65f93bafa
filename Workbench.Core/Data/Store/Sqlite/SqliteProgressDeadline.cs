using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// SQLite's progress handler asks every 10,000 virtual machine steps whether the limit has passed (or the caller
// cancelled) and, if so, stops the statement with SQLITE_INTERRUPT. Unlike sqlite3_interrupt from a timer, it cannot
// miss a statement that starts after the deadline.
internal sealed class SqliteProgressDeadline : IQueryDeadline
{
    private const int Steps = 10_000;
    private readonly sqlite3 _handle;
    private readonly long _deadline;
    private readonly CancellationToken _ct;
    private readonly delegate_progress _check;

    private SqliteProgressDeadline(sqlite3 handle, TimeSpan limit, CancellationToken ct)
    {
        _handle = handle;
        _ct = ct;
        _deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        _check = _ => Check();
        raw.sqlite3_progress_handler(handle, Steps, _check, null);
    }

    public bool Expired { get; private set; }

    public static SqliteProgressDeadline Start(DbConnection connection, TimeSpan limit, CancellationToken ct) =>
        new(((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("the connection is not open"), limit, ct);

    private int Check()
    {
        if (_ct.IsCancellationRequested) return 1;
        if (Stopwatch.GetTimestamp() <= _deadline) return 0;
        Expired = true;
        return 1;
    }

    // The connection goes back to the pool without the handler.
    public void Dispose() => raw.sqlite3_progress_handler(_handle, 0, null, null);
}
