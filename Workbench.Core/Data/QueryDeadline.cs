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
public static class QueryDeadline
{
    public static IQueryDeadline Start(DbConnection connection, TimeSpan limit, CancellationToken ct) =>
        StoreProvider.StartDeadline(connection, limit, ct);

    public static bool IsInterrupt(Exception e) => StoreProvider.IsInterrupted(e);
}
