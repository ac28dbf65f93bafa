using System.Text;
using System.Data.Common;
using Workbench.Core.Data;

namespace Workbench.Core.Customers;

// The customer list (search, filters, paging and sorting in SQL), its CSV export, and the 360° profile.
public sealed class CustomerService(StoreLocation store, TimeProvider clock)
{
    public const int TimelineOrders = 100;
    public const int LatestEvents = 20;

    // A filtered list is counted up to this many rows: an exact count of 600,000 matches costs a second at a million
    // customers, and nobody pages that far (the export has every row). The unfiltered total is always exact.
    public const int CountCap = 10_000;

    private const string ListColumns = """
        c.customer_id, c.first_name, c.last_name, c.email, c.region, c.loyalty_tier, s.orders, s.net_revenue, s.last_purchase_at
        """;

    public const int MaxSearchLength = 200;

    // Why a query is refused (null when it may run): sorting by a masked column would reveal the order of what is hidden.
    public static string? Refusal(CustomerListQuery query) =>
        !query.SeesContactDetails && query.Sort == CustomerSort.Email
            ? "Sorting by email is not available to your role: the addresses are shown masked."
            : query.Search?.Length > MaxSearchLength
                ? $"A search is at most {MaxSearchLength} characters."
                : null;

    private static void EnsureAllowed(CustomerListQuery query)
    {
        if (Refusal(query) is { } refusal) throw new ArgumentException(refusal, nameof(query));
    }

    public async Task<CustomerPage> ListAsync(CustomerListQuery query, CancellationToken ct)
    {
        EnsureAllowed(query);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var (where, parameters) = BuildFilter(query);
        var (total, capped) = await CountAsync(connection, where, parameters, ct);

        await using var command = connection.Command(
            $"SELECT {ListColumns} FROM {From(query)} {where} ORDER BY {OrderBy(query)} LIMIT $take OFFSET $skip",
            [.. parameters, ("$take", Math.Clamp(query.Take, 1, 1000)), ("$skip", Math.Max(0, query.Skip))]);
        var items = new List<(string Id, object?[] Row)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                items.Add((reader.GetString(0), row));
            }
        }
        var consents = await ConsentsOfAsync(connection, items.Select(i => i.Id).ToList(), ct);
        return new CustomerPage(items.Select(i => ToItem(i.Row, consents.GetValueOrDefault(i.Id))).ToList(), total, capped);
    }

    // SQLite's plan for the list's page query, for the bench and for diagnosing a slow sort or filter.
    public async Task<IReadOnlyList<string>> ExplainAsync(CustomerListQuery query, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var (where, parameters) = BuildFilter(query);
        await using var command = connection.Command(
            $"EXPLAIN QUERY PLAN SELECT {ListColumns} FROM {From(query)} {where} ORDER BY {OrderBy(query)} LIMIT $take OFFSET $skip", [.. parameters, ("$take", query.Take), ("$skip", query.Skip)]);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) plan.Add(reader.GetString(3));
        return plan;
    }

    // The whole filtered list as rows, streamed from one query in the list's order.
    public async IAsyncEnumerable<CustomerListItem> StreamAsync(CustomerListQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        EnsureAllowed(query);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var (where, parameters) = BuildFilter(query);
        var consentColumns = string.Join(", ", Channels.Contact.Select(ch =>
            $"(SELECT k.status FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = '{ch}')"));
        await using var command = connection.Command(
            $"SELECT {ListColumns}, {consentColumns} FROM customer_stats s JOIN customers c ON c.customer_id = s.customer_id {where} " +
            $"ORDER BY {OrderBy(query)}", [.. parameters]);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var row = new object[reader.FieldCount];
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(row);
            var consents = new Dictionary<string, string>();
            for (var i = 0; i < Channels.Contact.Count; i++) consents[Channels.Contact[i]] = row[9 + i] as string ?? "unknown";
            yield return ToItem(row, consents);
        }
    }

    public async Task<CustomerFilterOptions> FilterOptionsAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        return new CustomerFilterOptions(
            await DistinctAsync(connection, "region", ct),
            await DistinctAsync(connection, "loyalty_tier", ct));
    }

    private static async Task<IReadOnlyList<string>> DistinctAsync(DbConnection connection, string column, CancellationToken ct)
    {
        // Skip-scan over the column's index: one seek per distinct value, fast on a million rows.
        await using var command = connection.Command(
            $"SELECT DISTINCT {column} FROM customers WHERE {column} IS NOT NULL AND {column} <> '' ORDER BY {column} LIMIT 500");
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) values.Add(reader.GetString(0));
        return values;
    }

    private static async Task<(long Total, bool Capped)> CountAsync(DbConnection connection, string where,
        List<(string, object?)> parameters, CancellationToken ct)
    {
        var sql = where.Length == 0
            ? "SELECT COUNT(*) FROM customer_stats"
            : $"SELECT COUNT(*) FROM (SELECT 1 FROM customer_stats s JOIN customers c ON c.customer_id = s.customer_id {where} LIMIT {CountCap + 1})";
        await using var command = connection.Command(sql, [.. parameters]);
        var total = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        return where.Length > 0 && total > CountCap ? (CountCap, true) : (total, false);
    }

    private static CustomerListItem ToItem(object?[] row, IReadOnlyDictionary<string, string>? consents) => new(
        (string)row[0]!, row[1] as string, row[2] as string, row[3] as string, row[4] as string, row[5] as string,
        row[6] is long orders ? orders : 0, row[7] is double revenue ? revenue : 0,
        row[8] is string last ? StoreTime.Parse(last) : null,
        consents ?? Channels.Contact.ToDictionary(c => c, _ => "unknown"));

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string>>> ConsentsOfAsync(
        DbConnection connection, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var result = ids.ToDictionary(id => id, _ => (IReadOnlyDictionary<string, string>)Channels.Contact.ToDictionary(c => c, _ => "unknown"));
        if (ids.Count == 0) return result;
        var names = ids.Select((_, i) => $"$id{i}").ToList();
        await using var command = connection.Command(
            $"SELECT customer_id, channel, status FROM consents WHERE customer_id IN ({string.Join(", ", names)})",
            [.. ids.Select((id, i) => (names[i], (object?)id))]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ((Dictionary<string, string>)result[reader.GetString(0)])[reader.GetString(1)] = reader.GetString(2);
        }
        return result;
    }

    internal static (string Where, List<(string, object?)> Parameters) BuildFilter(CustomerListQuery query)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            // Prefix matches through LIKE, which SQLite answers from the case-insensitive indexes (CustomerSchema). The
            // user's text is a literal: %, _ and the escape character are escaped, so '%' matches no one.
            var terms = new List<string> { "c.customer_id LIKE $q ESCAPE '\\'", "c.last_name LIKE $q ESCAPE '\\'", "c.first_name LIKE $q ESCAPE '\\'" };
            parameters.Add(("$q", LikePrefix(search)));
            var space = search.IndexOf(' ');
            if (space > 0 && !search.Contains('@'))
            {
                terms.Add("(c.first_name LIKE $first ESCAPE '\\' AND c.last_name LIKE $last ESCAPE '\\')");
                parameters.Add(("$first", LikePrefix(search[..space])));
                parameters.Add(("$last", LikePrefix(search[(space + 1)..].Trim())));
            }
            if (query.SeesContactDetails)
            {
                terms.Add("c.email LIKE $q ESCAPE '\\'");
                if (LooksLikePhone(search))
                {
                    var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
                    // As typed, as digits, and in international form (a national 0 read as a GB number).
                    var international = ContactRules.NormalizePhone(search, "GB")!;
                    terms.Add("c.phone LIKE $phone1 ESCAPE '\\' OR c.phone LIKE $phone2 ESCAPE '\\' OR c.phone LIKE $phone3 ESCAPE '\\'");
                    parameters.Add(("$phone1", LikePrefix("+" + international)));
                    parameters.Add(("$phone2", LikePrefix(digits)));
                    parameters.Add(("$phone3", LikePrefix(search)));
                }
            }
            else if (search.Contains('@'))
            {
                // A masked email is found only by the whole address (any case): a prefix would reveal what the mask hides.
                terms.Add("c.email = $email COLLATE NOCASE");
                parameters.Add(("$email", search));
            }
            conditions.Add("(" + string.Join(" OR ", terms) + ")");
        }
        if (!string.IsNullOrWhiteSpace(query.Region))
        {
            conditions.Add("c.region = $region");
            parameters.Add(("$region", query.Region));
        }
        if (!string.IsNullOrWhiteSpace(query.Tier))
        {
            conditions.Add("c.loyalty_tier = $tier");
            parameters.Add(("$tier", query.Tier));
        }
        if (!string.IsNullOrWhiteSpace(query.ConsentChannel) && Channels.Contact.Contains(query.ConsentChannel))
        {
            parameters.Add(("$channel", query.ConsentChannel));
            switch (query.ConsentStatus)
            {
                case "granted" or "denied":
                    conditions.Add("EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = $channel AND k.status = $status)");
                    parameters.Add(("$status", query.ConsentStatus));
                    break;
                case "unknown":
                    conditions.Add("NOT EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = $channel)");
                    break;
                default:
                    conditions.Add("EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = $channel AND k.status = 'granted')");
                    break;
            }
        }
        if (query.LastPurchaseFrom is { } from)
        {
            conditions.Add("s.last_purchase_at >= $from");
            parameters.Add(("$from", StoreTime.Format(from)));
        }
        if (query.LastPurchaseTo is { } to)
        {
            conditions.Add("s.last_purchase_at < $to");
            parameters.Add(("$to", StoreTime.Format(to.AddDays(1))));
        }
        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), parameters);
    }

    // Sorted by a figure and not searching: walk customer_stats in its index order and stop after a page. CROSS JOIN
    // makes SQLite keep that order (without ANALYZE figures it would scan customers and sort all of them).
    private static string From(CustomerListQuery query) =>
        query.Sort is CustomerSort.Orders or CustomerSort.Revenue or CustomerSort.LastPurchase && string.IsNullOrWhiteSpace(query.Search)
            ? "customer_stats s CROSS JOIN customers c ON c.customer_id = s.customer_id"
            : "customer_stats s JOIN customers c ON c.customer_id = s.customer_id";

    internal static string LikePrefix(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static bool LooksLikePhone(string text) =>
        text.Count(char.IsAsciiDigit) >= 4 && text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')');

    private static string OrderBy(CustomerListQuery query)
    {
        var dir = query.Descending ? "DESC" : "ASC";
        return query.Sort switch
        {
            CustomerSort.Name => $"c.last_name COLLATE NOCASE {dir}, c.first_name COLLATE NOCASE {dir}, c.customer_id",
            CustomerSort.Email => $"c.email COLLATE NOCASE {dir}, c.customer_id",
            CustomerSort.Region => $"c.region {dir}, c.customer_id",
            CustomerSort.Tier => $"c.loyalty_tier {dir}, c.customer_id",
            CustomerSort.Orders => $"s.orders {dir}, c.customer_id",
            CustomerSort.Revenue => $"s.net_revenue {dir}, c.customer_id",
            CustomerSort.LastPurchase => $"s.last_purchase_at {dir}, c.customer_id",
            _ => $"c.customer_id {dir}",
        };
    }


    public async Task<CustomerProfile?> ProfileAsync(string customerId, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        // One read transaction: the profile's queries see one consistent store even while an import commits.
        await using var read = await connection.BeginReadAsync(ct);

        string?[] customer;
        long importId, createdImportId;
        await using (var command = connection.Command("""
            SELECT customer_id, first_name, last_name, email, phone, birth_date, gender, city, region, postal_code, country,
                   home_store, signup_date, loyalty_tier, loyalty_points, preferred_channel, time_zone, import_id, created_import_id
            FROM customers WHERE customer_id = $id
            """, ("$id", customerId)))
        {
            command.Transaction = read;
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            customer = Enumerable.Range(0, 17).Select(i => reader.AsText(i)).ToArray();
            importId = reader.GetInt64(17);
            createdImportId = reader.GetInt64(18);
        }

        var sources = await ImportSourcesAsync(connection, read, [importId, createdImportId], ct);
        var fieldSources = await FieldSourcesAsync(connection, read, customerId, ct);
        var consents = await ConsentStatesAsync(connection, read, customerId, ct);
        var lines = await LinesAsync(connection, read, customerId, ct);
        var events = await EventsAsync(connection, read, customerId, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // A line whose amount is not a finite number (stored before the importer checked ranges) would make every figure
        // infinite or NaN: it is left out of them and said.
        var nonFinite = lines.RemoveAll(l => !double.IsFinite(CustomerKpis.Amount(l.Kpi)) || l.Kpi.UnitCost is { } cost && !double.IsFinite(cost));
        var kpis = CustomerKpis.Compute(lines.Select(l => l.Kpi).ToList(), today);

        var issues = new List<DataIssue>();
        if (nonFinite > 0)
            issues.Add(new DataIssue("non-finite", $"{nonFinite} order line(s) have an amount that is not a finite number: left out of the figures and the timeline"));
        var fields = BuildFields(customer, today, issues)
            .Select(f => f with { Source = fieldSources.GetValueOrDefault(f.Name) ?? sources.GetValueOrDefault(createdImportId) })
            .ToList();
        await AddDuplicateIssuesAsync(connection, read, customerId, customer[3], customer[4], customer[10], issues, ct);
        if (consents.All(c => c.Status == "unknown"))
            issues.Add(new DataIssue("no-consent", "No consent recorded for any channel: treat every channel as not permitted"));
        if (lines.Any(l => l.Kpi.Category is null))
            issues.Add(new DataIssue("orphan-sku", "Some order lines name a sku that is not in the products"));
        if (lines.Count > 0 && kpis.Margin is null)
            issues.Add(new DataIssue("no-cost", "Margin unknown: no product bought has a unit cost"));
        else if (kpis.Margin is not null && kpis.MarginCoverage < 0.999)
            issues.Add(new DataIssue("partial-cost", $"Margin covers {kpis.MarginCoverage:P0} of gross revenue: some products have no unit cost"));

        var orders = lines
            .GroupBy(l => l.OrderId)
            .Select(g => new TimelineOrder(g.Key, g.Min(l => l.Kpi.OrderedAt), g.First().Kpi.Channel, g.First().StoreId,
                g.All(l => l.Kpi.Quantity < 0), g.Sum(l => CustomerKpis.Amount(l.Kpi)),
                g.OrderBy(l => l.LineNo).Select(l => new TimelineLine(l.LineNo, l.Kpi.Sku, l.ProductName, l.Kpi.Category,
                    l.Kpi.Quantity, l.Kpi.UnitPrice, l.Kpi.Discount, CustomerKpis.Amount(l.Kpi), l.Kpi.Quantity < 0)).ToList()))
            .OrderByDescending(o => o.OrderedAt).ThenByDescending(o => o.OrderId, StringComparer.Ordinal)
            .ToList();

        var name = string.Join(' ', new[] { customer[1], customer[2] }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new CustomerProfile(
            customerId,
            name.Length == 0 ? null : name,
            fields,
            sources.GetValueOrDefault(importId),
            sources.GetValueOrDefault(createdImportId),
            customer[13],
            long.TryParse(customer[14], out var points) ? points : null,
            customer[15],
            consents,
            kpis,
            orders.Take(TimelineOrders).ToList(),
            orders.Count,
            events,
            issues);
    }

    private static readonly (int Index, string Name, string Label)[] FieldDefinitions =
    [
        (1, "first_name", "First name"), (2, "last_name", "Last name"), (3, "email", "Email"), (4, "phone", "Phone"),
        (5, "birth_date", "Birth date"), (6, "gender", "Gender"), (7, "city", "City"), (8, "region", "Region"),
        (9, "postal_code", "Postal code"), (10, "country", "Country"), (11, "home_store", "Home store"),
        (12, "signup_date", "Signup date"), (13, "loyalty_tier", "Loyalty tier"), (14, "loyalty_points", "Loyalty points"),
        (15, "preferred_channel", "Preferred channel"), (16, "time_zone", "Time zone"),
    ];

    private static List<ProfileField> BuildFields(string?[] customer, DateOnly today, List<DataIssue> issues)
    {
        var fields = new List<ProfileField>();
        foreach (var (index, name, label) in FieldDefinitions)
        {
            var value = customer[index];
            string? note = null;
            if (string.IsNullOrWhiteSpace(value))
            {
                fields.Add(new ProfileField(name, label, null, "missing", "not provided"));
                continue;
            }
            switch (name)
            {
                case "email" when !ContactRules.IsValidEmail(value):
                    note = "email fails validation";
                    break;
                case "phone" when !ContactRules.IsValidPhone(value):
                    note = "phone fails validation";
                    break;
                case "birth_date" or "signup_date" when StoreTime.TryParseDate(value, out var date) && date > today:
                    note = "date in the future";
                    break;
            }
            if (note is not null) issues.Add(new DataIssue("invalid-" + name, $"{label} '{value}': {note}"));
            fields.Add(new ProfileField(name, label, value, note is null ? "ok" : "suspect", note));
        }
        return fields;
    }

    // Other customer ids sharing the normalised email (index on lower(trim(email))) or phone (index on the phone
    // without separators, looked up in each way the number can be written, then compared normalised).
    private static async Task AddDuplicateIssuesAsync(DbConnection connection, DbTransaction read, string customerId,
        string? email, string? phone, string? country, List<DataIssue> issues, CancellationToken ct)
    {
        var seen = new HashSet<string>();
        if (ContactRules.NormalizeEmail(email) is { } normalisedEmail)
        {
            await using var command = connection.Command(
                "SELECT customer_id FROM customers WHERE lower(trim(email)) = $email AND customer_id <> $id ORDER BY customer_id LIMIT 20",
                ("$email", normalisedEmail), ("$id", customerId));
            command.Transaction = read;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var other = reader.GetString(0);
                if (seen.Add(other)) issues.Add(new DataIssue("duplicate", $"possible duplicate of {other} (same email)", other));
            }
        }
        if (ContactRules.NormalizePhone(phone, country) is { Length: >= 6 } normalisedPhone)
        {
            var spellings = ContactRules.PhoneSpellings(normalisedPhone);
            var names = spellings.Select((_, i) => $"$p{i}").ToList();
            await using var command = connection.Command(
                $"SELECT customer_id, phone, country FROM customers WHERE {CustomerSchema.PhoneDigitsSql} IN ({string.Join(", ", names)}) " +
                "AND customer_id <> $id ORDER BY customer_id LIMIT 20",
                [.. spellings.Select((p, i) => (names[i], (object?)p)), ("$id", customerId)]);
            command.Transaction = read;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var other = reader.GetString(0);
                if (ContactRules.NormalizePhone(reader.Text(1), reader.Text(2)) == normalisedPhone && seen.Add(other))
                    issues.Add(new DataIssue("duplicate", $"possible duplicate of {other} (same phone)", other));
            }
        }
    }

    private static async Task<Dictionary<long, ImportSource>> ImportSourcesAsync(DbConnection connection, DbTransaction read,
        long[] ids, CancellationToken ct)
    {
        await using var command = connection.Command(
            "SELECT id, file_name, started_at FROM import_runs WHERE id IN ($a, $b)", ("$a", ids[0]), ("$b", ids[1]));
        command.Transaction = read;
        var result = new Dictionary<long, ImportSource>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetInt64(0)] = new ImportSource(reader.GetInt64(0), reader.GetString(1), reader.Time(2)!.Value);
        return result;
    }

    // The import that last changed each field's value; a field without a row kept its first import's value.
    private static async Task<Dictionary<string, ImportSource>> FieldSourcesAsync(DbConnection connection, DbTransaction read,
        string customerId, CancellationToken ct)
    {
        await using var command = connection.Command("""
            SELECT s.field, s.import_run_id, r.file_name, s.changed_at
            FROM customer_field_sources s LEFT JOIN import_runs r ON r.id = s.import_run_id
            WHERE s.customer_id = $id
            """, ("$id", customerId));
        command.Transaction = read;
        var result = new Dictionary<string, ImportSource>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetString(0)] = new ImportSource(reader.GetInt64(1), reader.Text(2) ?? "unknown file", reader.Time(3)!.Value);
        return result;
    }

    private static async Task<List<ConsentState>> ConsentStatesAsync(DbConnection connection, DbTransaction read,
        string customerId, CancellationToken ct)
    {
        await using var command = connection.Command(
            "SELECT channel, status, updated_at, source FROM consents WHERE customer_id = $id", ("$id", customerId));
        command.Transaction = read;
        var found = new Dictionary<string, ConsentState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found[reader.GetString(0)] = new ConsentState(reader.GetString(0), reader.GetString(1), reader.Time(2), reader.Text(3));
        return Channels.Contact.Select(ch => found.GetValueOrDefault(ch) ?? new ConsentState(ch, "unknown", null, null)).ToList();
    }

    private sealed record ProfileLine(string OrderId, int LineNo, string? StoreId, string? ProductName, KpiLine Kpi);

    private static async Task<List<ProfileLine>> LinesAsync(DbConnection connection, DbTransaction read,
        string customerId, CancellationToken ct)
    {
        await using var command = connection.Command("""
            SELECT l.order_id, l.line_no, l.ordered_at, l.sku, l.quantity, l.unit_price, l.discount, l.channel, l.store_id,
                   p.unit_cost, p.category, p.name
            FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
            WHERE l.customer_id = $id
            """, ("$id", customerId));
        command.Transaction = read;
        var lines = new List<ProfileLine>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var kpi = new KpiLine(reader.GetString(0), reader.Time(2)!.Value, reader.GetString(3), reader.GetDouble(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.IsDBNull(9) ? null : reader.GetDouble(9), reader.Text(10), reader.Text(7));
            lines.Add(new ProfileLine(kpi.OrderId, reader.GetInt32(1), reader.Text(8), reader.Text(11), kpi));
        }
        return lines;
    }

    private static async Task<List<ProfileEvent>> EventsAsync(DbConnection connection, DbTransaction read,
        string customerId, CancellationToken ct)
    {
        await using var command = connection.Command(
            "SELECT occurred_at, type, sku, category, channel FROM events WHERE customer_id = $id ORDER BY occurred_at DESC LIMIT $n",
            ("$id", customerId), ("$n", LatestEvents));
        command.Transaction = read;
        var events = new List<ProfileEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add(new ProfileEvent(reader.Time(0)!.Value, reader.GetString(1), reader.Text(2), reader.Text(3), reader.Text(4)));
        return events;
    }
}
