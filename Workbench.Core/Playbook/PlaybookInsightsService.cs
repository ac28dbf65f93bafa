using System.Data.Common;
using System.Globalization;
using System.Text;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// The use-case catalogue's figures and the content-gap matrix, from the playbook and the store. A use case's audience is
// everyone at least one of its active plays reaches by segment and conditions (exclusions, context and triggers
// depend on the moment and are left out); one pass over the customers counts every use case with its fields, orders,
// revenue and consents.
public sealed class PlaybookInsightsService(StoreLocation store, PlaybookStore playbook, SegmentService segments, TimeProvider clock)
{
    public Task<PlaybookFile> PlaybookAsync(CancellationToken ct) => playbook.ExportAsync(ct);

    public async Task<IReadOnlyList<UseCaseInsight>> UseCasesAsync(CancellationToken ct) => await UseCasesAsync(await PlaybookAsync(ct), ct);

    public async Task<IReadOnlyList<UseCaseInsight>> UseCasesAsync(PlaybookFile file, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var parts = file.UseCases.Select(useCase =>
        {
            var plays = file.Plays.Where(p => p.UseCaseId == useCase.Id).ToList();
            var active = plays.Where(p => p.Status == PlayStatus.Active).ToList();
            return (UseCase: useCase, Plays: plays, Active: active, Fields: UseCaseRanking.CustomerFields(active),
                Channels: active.SelectMany(p => p.Channels).Distinct().Order(StringComparer.Ordinal).ToList());
        }).ToList();
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var counts = await CountAsync(connection, parts.Select(u => new Audience(u.Active, u.Fields, u.Channels)).ToList(), now, ct);
        var result = new List<UseCaseInsight>();
        for (var u = 0; u < parts.Count; u++)
        {
            var (useCase, plays, active, fields, channels) = parts[u];
            var c = counts[u];
            var inputs = new UseCaseInputs(c.Audience, UseCaseInputs.DefaultUpliftPercent, c.Orders == 0 ? 0 : Math.Round(c.Revenue / c.Orders, 2));
            var feasibility = new Feasibility(fields.Select((f, i) => new FieldFill(f, c.Filled[i], c.Audience)).ToList(),
                UseCaseRanking.ContentCells(plays), c.Consented, c.Audience);
            result.Add(new UseCaseInsight(useCase, plays.Count, active.Count, plays.SelectMany(UseCaseRanking.SegmentsOf).Distinct().ToList(),
                channels, inputs, feasibility));
        }
        return result;
    }

    public async Task<GapMatrix> GapsAsync(string? channel, CancellationToken ct)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            throw new ArgumentException($"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}", nameof(channel));
        var plays = await PlaybookAsync(ct);
        var saved = await segments.ListAsync(ct);
        return ContentGaps.Compute(plays, saved.Select(s => (s.Id, s.Name)).ToList(), channel);
    }

    private sealed record Audience(IReadOnlyList<Play> Active, IReadOnlyList<string> Fields, IReadOnlyList<string> Channels);

    private sealed record Counts(long Audience, double Revenue, double Orders, long Consented, long[] Filled);

    // One pass over the customers for every use case at once. Each row says, per use case, whether one of its active
    // plays reaches the customer, and once for all use cases the customer's revenue and orders, consent per channel and
    // whether each field is filled; the sums per use case are made here. A use case's consent is a grant on any of its
    // channels; a customer without features has no revenue and no orders.
    private static async Task<Counts[]> CountAsync(DbConnection connection, IReadOnlyList<Audience> useCases, DateTime now, CancellationToken ct)
    {
        var parameters = new List<(string, object?)>();
        var reaches = new List<string>();
        var k = 0;
        foreach (var useCase in useCases)
        {
            var reach = new List<string>();
            foreach (var play in useCase.Active)
                if (Reach(play, k++, now, parameters) is { } clause) reach.Add(clause);
            reaches.Add(reach.Count == 0 ? "0" : string.Join(" OR ", reach.Select(r => $"({r})")));
        }
        var result = useCases.Select(u => new Counts(0, 0, 0, 0, new long[u.Fields.Count])).ToArray();
        if (reaches.All(r => r == "0")) return result;

        var channels = useCases.SelectMany(u => u.Channels).Distinct().Order(StringComparer.Ordinal).ToList();
        var fields = useCases.SelectMany(u => u.Fields).Distinct().Order(StringComparer.Ordinal).ToList();
        var sql = new StringBuilder("SELECT f.net_revenue, f.orders");
        for (var i = 0; i < channels.Count; i++)
        {
            parameters.Add(($"$ch{i}", channels[i]));
            sql.Append(CultureInfo.InvariantCulture,
                $", EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = $ch{i} AND k.status = 'granted')");
        }
        foreach (var field in fields)
        {
            var column = UseCaseFields.Column[field];
            sql.Append(CultureInfo.InvariantCulture, $", ({column} IS NOT NULL AND {column} <> '')");
        }
        foreach (var reach in reaches) sql.Append(", (").Append(reach).Append(')');
        sql.Append(" FROM ").Append(CompiledRule.From);

        var consentColumns = useCases.Select(u => u.Channels.Select(ch => 2 + channels.IndexOf(ch)).ToArray()).ToArray();
        var fieldColumns = useCases.Select(u => u.Fields.Select(f => 2 + channels.Count + fields.IndexOf(f)).ToArray()).ToArray();
        var firstReach = 2 + channels.Count + fields.Count;
        var audience = new long[useCases.Count];
        var revenue = new double[useCases.Count];
        var orders = new double[useCases.Count];
        var consented = new long[useCases.Count];
        await using var command = connection.Command(sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            for (var u = 0; u < useCases.Count; u++)
            {
                if (reader.IsDBNull(firstReach + u) || reader.GetInt64(firstReach + u) == 0) continue;
                audience[u]++;
                if (!reader.IsDBNull(0)) revenue[u] += reader.GetDouble(0);
                if (!reader.IsDBNull(1)) orders[u] += reader.GetDouble(1);
                foreach (var column in consentColumns[u])
                    if (reader.GetInt64(column) != 0)
                    {
                        consented[u]++;
                        break;
                    }
                var filled = result[u].Filled;
                for (var i = 0; i < filled.Length; i++)
                    if (!reader.IsDBNull(fieldColumns[u][i]) && reader.GetInt64(fieldColumns[u][i]) != 0) filled[i]++;
            }
        }
        for (var u = 0; u < useCases.Count; u++)
            result[u] = result[u] with { Audience = audience[u], Revenue = revenue[u], Orders = orders[u], Consented = consented[u] };
        return result;
    }

    // Who the play reaches: its segments (any or all) and its conditions; null when its conditions are not a valid rule.
    private static string? Reach(Play play, int k, DateTime now, List<(string, object?)> parameters)
    {
        var parts = new List<string>();
        var ids = play.Audience.SegmentIds;
        if (ids.Count > 0)
        {
            var list = string.Join(", ", ids.Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture)));
            parts.Add(play.Audience.Match == SegmentMatch.All
                ? $"(SELECT COUNT(*) FROM segment_members m WHERE m.customer_id = c.customer_id AND m.segment_id IN ({list})) = {ids.Distinct().Count()}"
                : $"c.customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id IN ({list}))");
        }
        if (play.Audience.Conditions is { } rule)
        {
            if (RuleValidator.Validate(rule).Count > 0) return null;
            var compiled = RuleSqlCompiler.Compile(rule, now);
            var prefix = $"$u{k}p";
            parts.Add(compiled.Where.Replace("$p", prefix, StringComparison.Ordinal));
            foreach (var (name, value) in compiled.Parameters) parameters.Add((prefix + name[2..], value));
        }
        return parts.Count == 0 ? "1" : string.Join(" AND ", parts);
    }
}
