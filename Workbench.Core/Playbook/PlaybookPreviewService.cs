using System.Text.Encodings.Web;
using System.Text.Unicode;
using Workbench.Core.Data;
using Workbench.Core.Jobs;
using Workbench.Core.Users;

namespace Workbench.Core.Playbook;

// Basket: the stored model the recommendations came from (null when the play has no recommendations slot or the
// basket-model job has not run yet).
public sealed record PreviewOutcome(PlayPreviewResult? Result, string? Problem, BasketModelInfo? Basket = null);

// One active play for one customer on one channel: an eligible one with every reason, its rendered message and its
// recommendations; any other with the first reason that blocked it (the evaluation stops there).
public sealed record CustomerPlay(string PlayId, string PlayName, string UseCaseId, string Channel, int Priority, double ExpectedValue,
    bool Eligible, IReadOnlyList<EligibilityReason> Reasons, EligibilityReason? FirstBlocking, RenderedMessage? Message,
    IReadOnlyList<RecommendedProduct> Recommendations);

// Eligible: highest priority first, then expected value, then play id; NotEligible in the same order.
public sealed record CustomerPlays(string CustomerId, DateTime At, string? Channel, int ActivePlays,
    IReadOnlyList<CustomerPlay> Eligible, IReadOnlyList<CustomerPlay> NotEligible);

public sealed record CustomerPlaysOutcome(CustomerPlays? Result, string? Problem, BasketModelInfo? Basket = null);

// Previews plays for one customer of the store: one play (from the store, or from a playbook file), or every active
// play of the store. The basket model is the one the basket-model job stored, never rebuilt here: read once and kept
// until the job writes another or the products change.
public sealed class PlaybookPreviewService(StoreLocation store, JobScheduleOptions schedule, TimeProvider clock, PlaybookStore playbook,
    BasketModelService baskets)
{
    public const double DefaultMinSupport = 0.0005;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (string Key, BasketModelInfo? Info, ProductCatalog Catalog)? _cached;

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public async Task<PlaybookFile> StarterAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var categories = await ListAsync(connection, "SELECT DISTINCT category FROM products WHERE category <> '' ORDER BY category", ct);
        var regions = await ListAsync(connection, "SELECT DISTINCT region FROM customers WHERE region IS NOT NULL AND region <> '' ORDER BY region", ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, schedule.Zone));
        return StarterLibrary.Generate(new StarterInputs(categories, regions, today));
    }

    // A play of the store.
    public async Task<PreviewOutcome> PreviewAsync(string playId, string customerId, string? channel, DateTime? at, CancellationToken ct) =>
        await playbook.GetAsync(playId, ct) is { } play
            ? await PreviewAsync(play, customerId, channel, at, ct)
            : new(null, $"no play '{playId}' in the playbook");

    // A play of a playbook file.
    public async Task<PreviewOutcome> PreviewAsync(PlaybookFile plays, string playId, string customerId, string? channel, DateTime? at, CancellationToken ct) =>
        plays.Plays.FirstOrDefault(p => p.Id == playId) is { } play
            ? await PreviewAsync(play, customerId, channel, at, ct)
            : new(null, $"no play '{playId}' in the playbook");

    // Any play, saved or not (the editor previews what is being typed). A channel renders its first creative variant
    // unless variants names another; with maskContactDetails (a Viewer) the customer's e-mail address and phone number
    // are masked wherever a message or a reason would quote them.
    public async Task<PreviewOutcome> PreviewAsync(Play play, string customerId, string? channel, DateTime? at, CancellationToken ct,
        IReadOnlyDictionary<string, string>? variants = null, bool maskContactDetails = false)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return new(null, $"customer '{customerId}' not found");
        BasketModelInfo? info = null;
        ProductCatalog? catalog = null;
        if (play.Recommendations is not null) (info, catalog) = await CatalogAsync(ct);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        var preview = PlayPreview.For(play, customer, TemplateVariables.Customer(customer), catalog, schedule.Zone, channel, variants);
        return new(maskContactDetails && await ContactScrubAsync(connection, customerId, ct) is { } scrub ? Masked(preview, scrub) : preview, null, info);
    }

    // Every active play of the store for the customer, on one channel or on each channel a play allows. With
    // maskContactDetails (a Viewer) the customer's e-mail address and phone number are masked wherever a message or a
    // reason would quote them, as the customer's profile masks them.
    public async Task<CustomerPlaysOutcome> CustomerPlaysAsync(string customerId, string? channel, DateTime? at, bool maskContactDetails, CancellationToken ct)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        var plays = await playbook.PlaysAsync(PlayStatus.Active, ct);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return new(null, $"customer '{customerId}' not found");
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        var variables = TemplateVariables.Customer(customer);
        var verdicts = plays
            .SelectMany(p => (channel is null ? p.Channels : [channel]).Select(ch => (Play: p, Verdict: Eligibility.Evaluate(p, ch, customer, schedule.Zone, stopAtFirstBlocking: true))))
            .OrderByDescending(v => v.Play.Priority).ThenByDescending(v => v.Play.ExpectedValue).ThenBy(v => v.Play.Id, StringComparer.Ordinal)
            .ToList();
        BasketModelInfo? info = null;
        ProductCatalog? catalog = null;
        if (verdicts.Any(v => v.Verdict.Eligible && v.Play.Recommendations is not null))
            (info, catalog) = await CatalogAsync(ct);
        var scrub = maskContactDetails ? await ContactScrubAsync(connection, customerId, ct) : null;

        var eligible = new List<CustomerPlay>();
        var blocked = new List<CustomerPlay>();
        foreach (var (play, verdict) in verdicts)
        {
            if (verdict.Eligible)
            {
                IReadOnlyList<RecommendedProduct> recommended = play.Recommendations is { } slot && catalog is not null ? Recommender.Resolve(slot, snapshot, catalog) : [];
                var message = PlayRenderer.Render(play, verdict.Channel, null, variables, recommended);
                eligible.Add(Masked(new CustomerPlay(play.Id, play.Name, play.UseCaseId, verdict.Channel, play.Priority, play.ExpectedValue, true,
                    verdict.Reasons, null, message, recommended), scrub));
            }
            else
            {
                blocked.Add(Masked(new CustomerPlay(play.Id, play.Name, play.UseCaseId, verdict.Channel, play.Priority, play.ExpectedValue, false,
                    [], verdict.FirstBlocking, null, []), scrub));
            }
        }
        return new(new CustomerPlays(customerId, now, channel, plays.Count, eligible, blocked), null, info);
    }

    // Replaces the customer's e-mail address and phone number, as written and as HTML-encoded, with their masked forms.
    private static async Task<Func<string?, string?>?> ContactScrubAsync(System.Data.Common.DbConnection connection, string customerId, CancellationToken ct)
    {
        var pairs = new List<(string Raw, string Masked)>();
        await using (var cmd = connection.Command("SELECT email, phone FROM customers WHERE customer_id = $id", ("$id", (object?)customerId)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                if (r.Text(0) is { Length: > 0 } email) pairs.Add((email, PersonalDataMask.MaskEmail(email)!));
                if (r.Text(1) is { Length: > 0 } phone) pairs.Add((phone, PersonalDataMask.MaskPhone(phone)!));
            }
        }
        foreach (var (raw, masked) in pairs.ToList())
            if (Html.Encode(raw) is var encoded && encoded != raw) pairs.Add((encoded, Html.Encode(masked)));
        if (pairs.Count == 0) return null;
        // Longest first, so a phone number inside an address (or the reverse) is masked whole.
        pairs.Sort((a, b) => b.Raw.Length.CompareTo(a.Raw.Length));
        return text => text is null ? null : pairs.Aggregate(text, (t, p) => t.Replace(p.Raw, p.Masked, StringComparison.OrdinalIgnoreCase));
    }

    private static CustomerPlay Masked(CustomerPlay play, Func<string?, string?>? scrub)
    {
        if (scrub is null) return play;
        return play with
        {
            PlayName = scrub(play.PlayName)!,
            Reasons = play.Reasons.Select(r => Masked(r, scrub)).ToList(),
            FirstBlocking = play.FirstBlocking is { } first ? Masked(first, scrub) : null,
            Message = play.Message is { } m ? Masked(m, scrub) : null,
        };
    }

    private static PlayPreviewResult Masked(PlayPreviewResult preview, Func<string?, string?> scrub) => preview with
    {
        PlayName = scrub(preview.PlayName)!,
        Channels = preview.Channels.Select(c => c with
        {
            Verdict = c.Verdict with { Reasons = c.Verdict.Reasons.Select(r => Masked(r, scrub)).ToList() },
            Message = c.Message is { } m ? Masked(m, scrub) : null,
        }).ToList(),
    };

    private static EligibilityReason Masked(EligibilityReason r, Func<string?, string?> scrub) => r with { Rule = scrub(r.Rule)!, CustomerValue = scrub(r.CustomerValue)! };

    private static RenderedMessage Masked(RenderedMessage m, Func<string?, string?> scrub) => m with
    {
        Subject = scrub(m.Subject), Html = scrub(m.Html), Text = scrub(m.Text), Title = scrub(m.Title), Body = scrub(m.Body),
        Problems = m.Problems.Select(p => scrub(p)!).ToList(),
    };

    // Products and the stored basket model at DefaultMinSupport, kept while the model's generation and the products stay
    // the same (one small read per call).
    public async Task<(BasketModelInfo? Info, ProductCatalog Catalog)> CatalogAsync(CancellationToken ct)
    {
        var key = await CatalogKeyAsync(ct);
        if (_cached is { } hit && hit.Key == key) return (hit.Info, hit.Catalog);
        await _loading.WaitAsync(ct);
        try
        {
            if (_cached is { } again && again.Key == key) return (again.Info, again.Catalog);
            var products = new List<ProductInfo>();
            await using (var connection = await StoreSql.OpenAsync(store, ct))
            await using (var cmd = connection.Command("SELECT sku, name, category, price FROM products"))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) products.Add(new ProductInfo(r.GetString(0), r.GetString(1), r.Text(2), r.IsDBNull(3) ? null : r.GetDouble(3)));
            var (info, counts) = await baskets.LoadAsync(ct);
            var catalog = new ProductCatalog(products, counts.Model(DefaultMinSupport));
            _cached = (key, info, catalog);
            return (info, catalog);
        }
        finally
        {
            _loading.Release();
        }
    }

    private const string CatalogKeySql =
        "SELECT COALESCE((SELECT generation FROM basket_model WHERE id = 1), 0) || '|' || " +
        "(SELECT COUNT(*) || '|' || COALESCE(MAX(import_id), 0) || '|' || COALESCE(SUM(revision), 0) FROM products)";

    private async Task<string> CatalogKeyAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(CatalogKeySql);
        return Convert.ToString(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task<List<string>> ListAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken ct)
    {
        var list = new List<string>();
        await using var cmd = connection.Command(sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        return list;
    }
}
