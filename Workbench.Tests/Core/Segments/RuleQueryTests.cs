using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Workbench.Core.Segments;

namespace Workbench.Tests.Core.Segments;

public sealed class RuleQueryTests
{
    [Fact]
    public async Task InterruptOn_CancelledDuringALongStatement_StopsItAsCancelled()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT COUNT(*) FROM n";
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        using (RuleQuery.InterruptOn(connection, cts.Token))
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => RuleQuery.ThrowIfInterrupted(() => command.ExecuteScalarAsync(cts.Token), cts.Token));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        command.CommandText = "SELECT 1";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }
}
