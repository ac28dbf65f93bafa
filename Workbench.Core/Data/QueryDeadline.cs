using System.Data.Common;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Data;

public interface IQueryDeadline : IDisposable
{
    // True once the limit stopped a statement.
    bool Expired { get; }
}

// A time limit on everything one connection runs until disposed; the provider stops the running statement once it
// passes (or the caller cancels), and the statement fails with the provider's interrupt error.
public sealed class QueryDeadline : IDisposable
{
    private readonly IQueryDeadline _inner;

    private QueryDeadline(IQueryDeadline inner, TimeSpan limit)
    {
        _inner = inner;
        Limit = limit;
    }

    public TimeSpan Limit { get; }

    public bool Expired => _inner.Expired;

    public static QueryDeadline Start(DbConnection connection, TimeSpan limit, CancellationToken ct) =>
        new(StoreProvider.StartDeadline(connection, limit, ct), limit);

    public static bool IsInterrupt(Exception e) => StoreProvider.IsInterrupted(e);

    public void Dispose() => _inner.Dispose();
}
