using System.Data.Common;
using Workbench.Core.Data;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

// Runs a compiled rule on an open connection: plain parameterised SQL, no EF on the hot path.
public static class RuleQuery
{
    public static DbCommand Command(DbConnection connection, CompiledRule rule, string select, string? tail = null,
        bool withFeatures = false)
    {
        var command = connection.CreateCommand();
        var from = withFeatures ? CompiledRule.From : rule.FromClause;
        command.CommandText = $"SELECT {select} FROM {from} WHERE {rule.Where} {tail}";
        foreach (var (name, value) in rule.Parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public static async Task<long> CountAsync(DbConnection connection, CompiledRule rule, CancellationToken ct)
    {
        await using var command = Command(connection, rule, "COUNT(*)");
        using var _ = InterruptOn(connection, ct);
        return (long)(await ThrowIfInterrupted(() => command.ExecuteScalarAsync(ct), ct))!;
    }

    // A count the editor no longer needs is stopped in flight, not only before it starts.
    public static IDisposable InterruptOn(DbConnection connection, CancellationToken ct) => connection.InterruptOn(ct);

    public static Task<T> ThrowIfInterrupted<T>(Func<Task<T>> run, CancellationToken ct) => StoreSql.WhenInterrupted(run, ct);

    public static async Task<List<string>> IdsAsync(DbConnection connection, CompiledRule rule, CancellationToken ct)
    {
        await using var command = Command(connection, rule, "c.customer_id", "ORDER BY c.customer_id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}
