using Microsoft.Data.Sqlite;
using SQLitePCL;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

// Runs a compiled rule on an open connection: plain parameterised SQL, no EF on the hot path.
public static class RuleQuery
{
    public static SqliteCommand Command(SqliteConnection connection, CompiledRule rule, string select, string? tail = null,
        bool withFeatures = false)
    {
        var command = connection.CreateCommand();
        var from = withFeatures ? CompiledRule.From : rule.FromClause;
        command.CommandText = $"SELECT {select} FROM {from} WHERE {rule.Where} {tail}";
        foreach (var (name, value) in rule.Parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public static async Task<long> CountAsync(SqliteConnection connection, CompiledRule rule, CancellationToken ct)
    {
        await using var command = Command(connection, rule, "COUNT(*)");
        using var _ = InterruptOn(connection, ct);
        return (long)(await ThrowIfInterrupted(() => command.ExecuteScalarAsync(ct), ct))!;
    }

    // Microsoft.Data.Sqlite checks the token only before a statement starts; a count the editor no longer needs is
    // stopped in flight with sqlite3_interrupt (thread-safe), which surfaces as SQLITE_INTERRUPT.
    public static IDisposable InterruptOn(SqliteConnection connection, CancellationToken ct)
    {
        var handle = connection.Handle;
        return ct.Register(() => { if (handle is not null) raw.sqlite3_interrupt(handle); });
    }

    public static async Task<T> ThrowIfInterrupted<T>(Func<Task<T>> run, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_INTERRUPT && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the count was cancelled", e, ct);
        }
    }

    public static async Task<List<string>> IdsAsync(SqliteConnection connection, CompiledRule rule, CancellationToken ct)
    {
        await using var command = Command(connection, rule, "c.customer_id", "ORDER BY c.customer_id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}
