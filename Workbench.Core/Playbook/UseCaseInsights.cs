namespace Workbench.Core.Playbook;

// Estimated value = audience × expected uplift × average value. The uplift is the share of the audience the use case
// turns into an extra order; the average value that of an order of the audience (its net revenue / its orders).
public sealed record UseCaseInputs(long Audience, double UpliftPercent, double AverageValue)
{
    // The decision engine's stated prior conversion rate (Decisioning/Propensity.DefaultRate): 2%, until the user says otherwise.
    public const double DefaultUpliftPercent = 2.0;

    public double EstimatedValue => Math.Max(0, Audience) * Math.Max(0, UpliftPercent) / 100.0 * Math.Max(0, AverageValue);
}

// A field the plays' content uses, and how many of the audience have it filled.
public sealed record FieldFill(string Variable, long Filled, long Audience)
{
    public double Share => Audience == 0 ? 0 : (double)Filled / Audience;
}

// SegmentId null = the plays that name no segment (everyone their conditions pick).
public sealed record ContentCell(long? SegmentId, string Channel, bool Ready);

// Each part 0–1. Data (0 without an audience): the mean share of the audience with each field the content uses filled
// (1 when it uses none).
// Content: the share of its segment × channel cells with an active play holding a creative variant for that channel.
// Consent: the share of the audience with consent granted on at least one of its plays' channels.
// Score = the mean of the three.
public sealed record Feasibility(IReadOnlyList<FieldFill> Fields, IReadOnlyList<ContentCell> Cells, long Consented, long Audience)
{
    public double Data => Audience == 0 ? 0 : Fields.Count == 0 ? 1 : Fields.Average(f => f.Share);
    public double Content => Cells.Count == 0 ? 0 : (double)Cells.Count(c => c.Ready) / Cells.Count;
    public double Consent => Audience == 0 ? 0 : (double)Consented / Audience;
    public double Score => (Data + Content + Consent) / 3;
}

public sealed record UseCaseInsight(UseCase UseCase, int Plays, int ActivePlays, IReadOnlyList<long?> Segments, IReadOnlyList<string> Channels,
    UseCaseInputs Computed, Feasibility Feasibility);

public sealed record RankedUseCase(UseCaseInsight Insight, UseCaseInputs Inputs, int Rank)
{
    public double Value => Inputs.EstimatedValue;
    public double Feasibility => Insight.Feasibility.Score;
    public double Priority => Value * Feasibility;
}

public static class UseCaseRanking
{
    // By value × feasibility, then value, then name. inputs: the user's edits by use case id (the computed ones otherwise).
    public static IReadOnlyList<RankedUseCase> Rank(IEnumerable<UseCaseInsight> insights, IReadOnlyDictionary<string, UseCaseInputs>? inputs = null)
    {
        var ordered = insights
            .Select(i => (Insight: i, Inputs: inputs is not null && inputs.TryGetValue(i.UseCase.Id, out var edited) ? edited : i.Computed))
            .OrderByDescending(x => x.Inputs.EstimatedValue * x.Insight.Feasibility.Score)
            .ThenByDescending(x => x.Inputs.EstimatedValue)
            .ThenBy(x => x.Insight.UseCase.Name, StringComparer.Ordinal)
            .ToList();
        return ordered.Select((x, i) => new RankedUseCase(x.Insight, x.Inputs, i + 1)).ToList();
    }

    // What a play's content needs from the customer: the template variables of every part of every variant, customer
    // fields only (the offer, the recommendations and the id are the play's or always there).
    public static IReadOnlyList<string> CustomerFields(IEnumerable<Play> plays)
    {
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var play in plays)
        foreach (var content in play.Content)
        foreach (var variant in content.Variants)
        foreach (var part in PlayChannels.Parts(content.Channel))
        {
            if (PlayChannels.Part(variant, part) is not { Length: > 0 } source) continue;
            foreach (var name in LiquidTemplates.Get(source, part == "html").Variables)
                if (UseCaseFields.Column.ContainsKey(name)) fields.Add(name);
        }
        return [.. fields];
    }

    // True when the variant has every part the channel sends.
    public static bool HasCreative(Play play, string channel) =>
        play.ContentFor(channel) is { } content
        && content.Variants.Any(v => PlayChannels.Parts(channel).All(part => PlayChannels.Part(v, part) is { Length: > 0 }));

    // Every segment × channel the use case's plays name (no segment: null), ready when an active play reaching that
    // segment allows the channel and has a creative variant for it.
    public static IReadOnlyList<ContentCell> ContentCells(IReadOnlyList<Play> plays)
    {
        var segments = plays.SelectMany(SegmentsOf).Distinct().OrderBy(s => s ?? -1).ToList();
        var channels = plays.SelectMany(p => p.Channels).Distinct().Order(StringComparer.Ordinal).ToList();
        return [.. from s in segments
            from ch in channels
            select new ContentCell(s, ch, plays.Any(p => p.Status == PlayStatus.Active && SegmentsOf(p).Contains(s) && p.Channels.Contains(ch) && HasCreative(p, ch)))];
    }

    public static IReadOnlyList<long?> SegmentsOf(Play play) =>
        play.Audience.SegmentIds.Count == 0 ? [null] : [.. play.Audience.SegmentIds.Select(s => (long?)s)];
}

// The customer fields a template may use, as the column that holds them (customers c, customer_features f). A field is
// filled when that column is not null and not empty.
public static class UseCaseFields
{
    public static readonly IReadOnlyDictionary<string, string> Column = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["first_name"] = "c.first_name", ["last_name"] = "c.last_name", ["city"] = "c.city", ["region"] = "c.region",
        ["country"] = "c.country", ["home_store"] = "c.home_store", ["loyalty_tier"] = "c.loyalty_tier", ["points"] = "c.loyalty_points",
        ["signup_date"] = "c.signup_date", ["preferred_channel"] = "c.preferred_channel", ["orders"] = "f.orders",
        ["net_revenue"] = "f.net_revenue", ["days_since_last_purchase"] = "f.last_purchase_at", ["last_purchase_date"] = "f.last_purchase_at",
        ["top_category"] = "f.top_category_1", ["top_categories"] = "f.top_category_1", ["favourite_daypart"] = "f.favourite_daypart",
        ["rfm_cell"] = "f.rfm_cell", ["predicted_value"] = "f.predicted_value_12m", ["probability_alive"] = "f.probability_alive",
    };
}

public enum GapState { NoActivePlay, NoCreativeVariant, Covered }

// SegmentId null: the plays that name no segment.
public sealed record GapCell(long? SegmentId, Objective Objective, int ActivePlays, int WithVariant)
{
    public GapState State => ActivePlays == 0 ? GapState.NoActivePlay : WithVariant == 0 ? GapState.NoCreativeVariant : GapState.Covered;
}

public sealed record GapSegment(long? Id, string Name);

public sealed record GapMatrix(IReadOnlyList<GapSegment> Segments, IReadOnlyList<Objective> Objectives, string? Channel, IReadOnlyList<GapCell> Cells)
{
    public GapCell Cell(long? segment, Objective objective) => Cells.First(c => c.SegmentId == segment && c.Objective == objective);
}

// Saved segments (and "no segment") × objectives: the active plays reaching each cell on the channel (any channel when
// none is chosen), and how many of them have a creative variant for it (for every channel they allow, with none chosen).
public static class ContentGaps
{
    public const string NoSegmentName = "No segment (conditions only)";

    // As the JSON writes it (cross_sell), the form the playbook pages take in their query strings.
    public static string ObjectiveName(Objective objective) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(objective.ToString());

    // The library filtered to a cell, or a new play prefilled with it (the playbook pages read these parameters).
    public static string LibraryLink(long? segment, Objective objective, string? channel) => Link("/playbook", segment, objective, channel);

    public static string NewPlayLink(long? segment, Objective objective, string? channel) => Link("/playbook/new", segment, objective, channel);

    private static string Link(string path, long? segment, Objective objective, string? channel)
    {
        var query = new List<string>();
        if (segment is { } s) query.Add("segment=" + s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("objective=" + ObjectiveName(objective));
        if (channel is not null) query.Add("channel=" + Uri.EscapeDataString(channel));
        return path + "?" + string.Join("&", query);
    }

    public static GapMatrix Compute(PlaybookFile playbook, IReadOnlyList<(long Id, string Name)> segments, string? channel)
    {
        var objectives = Enum.GetValues<Objective>();
        var objectiveOf = playbook.UseCases.ToDictionary(u => u.Id, u => u.Objective, StringComparer.Ordinal);
        var active = playbook.Plays.Where(p => p.Status == PlayStatus.Active && objectiveOf.ContainsKey(p.UseCaseId)
                                               && (channel is null || p.Channels.Contains(channel))).ToList();
        var rows = new List<GapSegment> { new(null, NoSegmentName) };
        rows.AddRange(segments.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new GapSegment(s.Id, s.Name)));
        var cells = new List<GapCell>();
        foreach (var row in rows)
        {
            foreach (var objective in objectives)
            {
                var plays = active.Where(p => objectiveOf[p.UseCaseId] == objective && UseCaseRanking.SegmentsOf(p).Contains(row.Id)).ToList();
                var withVariant = plays.Count(p => channel is null
                    ? p.Channels.All(ch => UseCaseRanking.HasCreative(p, ch))
                    : UseCaseRanking.HasCreative(p, channel));
                cells.Add(new GapCell(row.Id, objective, plays.Count, withVariant));
            }
        }
        return new GapMatrix(rows, objectives, channel, cells);
    }
}
