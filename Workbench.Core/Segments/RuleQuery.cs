using Microsoft.Data.Sqlite;
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
        return (long)(await command.ExecuteScalarAsync(ct))!;
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
