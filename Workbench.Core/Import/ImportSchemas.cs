using Workbench.Core.Customers;

namespace Workbench.Core.Import;

public enum FieldType { Text, Integer, Decimal, Date, DateTime, Email, Choice, TimeZone }

public sealed record FieldSpec(
    string Name,
    FieldType Type,
    bool Required = false,
    IReadOnlyList<string>? Allowed = null,
    bool NonNegative = false,
    bool NonZero = false,
    string? Default = null,
    int MaxLength = 0,
    double Min = double.MinValue,
    double Max = double.MaxValue)
{
    // At most this many characters: the column's own limit, else one per type (numbers and dates are short).
    public int Limit => MaxLength > 0 ? MaxLength : Type switch
    {
        FieldType.Text => 200,
        FieldType.Email => 254,
        FieldType.Integer or FieldType.Decimal => 32,
        FieldType.Date or FieldType.DateTime => 40,
        _ => 64,
    };
}

public sealed record ImportSchema(ImportKind Kind, string FileName, IReadOnlyList<FieldSpec> Fields)
{
    public IEnumerable<FieldSpec> RequiredFields => Fields.Where(f => f.Required);

    public int IndexOf(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == field) return i;
        }
        throw new ArgumentException($"{Kind} has no field {field}", nameof(field));
    }
}

// The CSV formats. Header names match case-insensitively, ignoring spaces and underscores.
public static class ImportSchemas
{
    // Ids and keys (customer, sku, order, event, store), money per unit (price, cost, discount) and units per line.
    public const int IdLength = 64;
    public const double MaxMoney = 1_000_000;
    public const double MaxQuantity = 100_000;

    public static readonly ImportSchema Customers = new(ImportKind.Customers, "customers.csv",
    [
        new("customer_id", FieldType.Text, Required: true, MaxLength: IdLength),
        new("first_name", FieldType.Text, MaxLength: 100),
        new("last_name", FieldType.Text, MaxLength: 100),
        new("email", FieldType.Email),
        new("phone", FieldType.Text, MaxLength: 32),
        new("birth_date", FieldType.Date),
        new("gender", FieldType.Text, MaxLength: 32),
        new("city", FieldType.Text, MaxLength: 100),
        new("region", FieldType.Text, MaxLength: 100),
        new("postal_code", FieldType.Text, MaxLength: 16),
        new("country", FieldType.Text, MaxLength: 64),
        new("home_store", FieldType.Text, MaxLength: IdLength),
        new("signup_date", FieldType.Date),
        new("loyalty_tier", FieldType.Text, MaxLength: 32),
        new("loyalty_points", FieldType.Integer, NonNegative: true, Max: 1_000_000_000),
        new("preferred_channel", FieldType.Choice, Allowed: Channels.Contact),
        new("time_zone", FieldType.TimeZone),
    ]);

    public static readonly ImportSchema Products = new(ImportKind.Products, "products.csv",
    [
        new("sku", FieldType.Text, Required: true, MaxLength: IdLength),
        new("name", FieldType.Text, Required: true, MaxLength: 200),
        new("category", FieldType.Text, Required: true, MaxLength: 100),
        new("subcategory", FieldType.Text, MaxLength: 100),
        new("brand", FieldType.Text, MaxLength: 100),
        new("price", FieldType.Decimal, Required: true, NonNegative: true, Max: MaxMoney),
        new("unit_cost", FieldType.Decimal, NonNegative: true, Max: MaxMoney),
    ]);

    public static readonly ImportSchema Transactions = new(ImportKind.Transactions, "transactions.csv",
    [
        new("order_id", FieldType.Text, Required: true, MaxLength: IdLength),
        new("line_no", FieldType.Integer, Required: true, Min: 0, Max: 100_000),
        new("customer_id", FieldType.Text, Required: true, MaxLength: IdLength),
        new("ordered_at", FieldType.DateTime, Required: true),
        new("sku", FieldType.Text, Required: true, MaxLength: IdLength),
        new("quantity", FieldType.Decimal, Required: true, NonZero: true, Min: -MaxQuantity, Max: MaxQuantity),
        new("unit_price", FieldType.Decimal, Required: true, NonNegative: true, Max: MaxMoney),
        new("discount", FieldType.Decimal, NonNegative: true, Default: "0", Max: MaxMoney),
        new("channel", FieldType.Choice, Allowed: Channels.Purchase),
        new("store_id", FieldType.Text, MaxLength: IdLength),
    ]);

    public static readonly ImportSchema Events = new(ImportKind.Events, "events.csv",
    [
        new("event_id", FieldType.Text, MaxLength: IdLength),
        new("customer_id", FieldType.Text, Required: true, MaxLength: IdLength),
        new("occurred_at", FieldType.DateTime, Required: true),
        new("type", FieldType.Text, Required: true, MaxLength: 64),
        new("sku", FieldType.Text, MaxLength: IdLength),
        new("category", FieldType.Text, MaxLength: 100),
        new("channel", FieldType.Choice, Allowed: Channels.EventChannels),
    ]);

    public static readonly ImportSchema Consents = new(ImportKind.Consents, "consents.csv",
    [
        new("customer_id", FieldType.Text, Required: true, MaxLength: IdLength),
        new("channel", FieldType.Choice, Required: true, Allowed: Channels.Contact),
        new("status", FieldType.Choice, Required: true, Allowed: Channels.ConsentStatuses),
        new("updated_at", FieldType.DateTime, Required: true),
        new("source", FieldType.Text, MaxLength: 100),
    ]);

    // What became of a campaign's sends, from the sending platform: one row per send, named by its send id
    // ("{run}-{customer}", as in the run's send list) or by campaign and customer (the latest run that sent to the
    // customer). A value given replaces the stored one; an empty one leaves it.
    public static readonly ImportSchema Outcomes = new(ImportKind.Outcomes, "outcomes.csv",
    [
        new("send_id", FieldType.Text, MaxLength: 2 * IdLength),
        new("campaign_id", FieldType.Text, MaxLength: IdLength),
        new("customer_id", FieldType.Text, MaxLength: IdLength),
        new("delivered_at", FieldType.DateTime),
        new("opened_at", FieldType.DateTime),
        new("clicked_at", FieldType.DateTime),
        new("converted_at", FieldType.DateTime),
        new("revenue", FieldType.Decimal, NonNegative: true, Max: MaxOrderMoney),
        new("margin", FieldType.Decimal, Min: -MaxOrderMoney, Max: MaxOrderMoney),
        new("unsubscribed_at", FieldType.DateTime),
    ]);

    // Money per outcome (a whole order's revenue or margin).
    public const double MaxOrderMoney = 100_000_000;

    public static readonly IReadOnlyList<ImportSchema> All = [Customers, Products, Transactions, Events, Consents, Outcomes];

    public static ImportSchema For(ImportKind kind) => kind switch
    {
        ImportKind.Customers => Customers,
        ImportKind.Products => Products,
        ImportKind.Transactions => Transactions,
        ImportKind.Events => Events,
        ImportKind.Consents => Consents,
        ImportKind.Outcomes => Outcomes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // The kind a file name suggests ("Customers_2026-03.csv" is customers; "orders.csv" is transactions), if any.
    public static ImportKind? GuessKind(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        foreach (var (word, kind) in KindWords)
        {
            if (name.Contains(word, StringComparison.Ordinal)) return kind;
        }
        return null;
    }

    private static readonly (string Word, ImportKind Kind)[] KindWords =
    [
        ("consent", ImportKind.Consents), ("customer", ImportKind.Customers), ("product", ImportKind.Products),
        ("transaction", ImportKind.Transactions), ("order", ImportKind.Transactions), ("outcome", ImportKind.Outcomes), ("event", ImportKind.Events),
    ];

    public static bool TryParseKind(string text, out ImportKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);

    public static string NormalizeHeader(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 256)];
        var n = 0;
        foreach (var c in header.AsSpan().Trim())
        {
            if (c is ' ' or '_' or '\uFEFF') continue;
            if (n == buffer.Length) break;
            buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }
}
