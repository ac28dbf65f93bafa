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
    string? Default = null);

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
    public static readonly ImportSchema Customers = new(ImportKind.Customers, "customers.csv",
    [
        new("customer_id", FieldType.Text, Required: true),
        new("first_name", FieldType.Text),
        new("last_name", FieldType.Text),
        new("email", FieldType.Email),
        new("phone", FieldType.Text),
        new("birth_date", FieldType.Date),
        new("gender", FieldType.Text),
        new("city", FieldType.Text),
        new("region", FieldType.Text),
        new("postal_code", FieldType.Text),
        new("country", FieldType.Text),
        new("home_store", FieldType.Text),
        new("signup_date", FieldType.Date),
        new("loyalty_tier", FieldType.Text),
        new("loyalty_points", FieldType.Integer, NonNegative: true),
        new("preferred_channel", FieldType.Choice, Allowed: Channels.Contact),
        new("time_zone", FieldType.TimeZone),
    ]);

    public static readonly ImportSchema Products = new(ImportKind.Products, "products.csv",
    [
        new("sku", FieldType.Text, Required: true),
        new("name", FieldType.Text, Required: true),
        new("category", FieldType.Text, Required: true),
        new("subcategory", FieldType.Text),
        new("brand", FieldType.Text),
        new("price", FieldType.Decimal, Required: true, NonNegative: true),
        new("unit_cost", FieldType.Decimal, NonNegative: true),
    ]);

    public static readonly ImportSchema Transactions = new(ImportKind.Transactions, "transactions.csv",
    [
        new("order_id", FieldType.Text, Required: true),
        new("line_no", FieldType.Integer, Required: true),
        new("customer_id", FieldType.Text, Required: true),
        new("ordered_at", FieldType.DateTime, Required: true),
        new("sku", FieldType.Text, Required: true),
        new("quantity", FieldType.Decimal, Required: true, NonZero: true),
        new("unit_price", FieldType.Decimal, Required: true, NonNegative: true),
        new("discount", FieldType.Decimal, NonNegative: true, Default: "0"),
        new("channel", FieldType.Choice, Allowed: Channels.Purchase),
        new("store_id", FieldType.Text),
    ]);

    public static readonly ImportSchema Events = new(ImportKind.Events, "events.csv",
    [
        new("event_id", FieldType.Text),
        new("customer_id", FieldType.Text, Required: true),
        new("occurred_at", FieldType.DateTime, Required: true),
        new("type", FieldType.Text, Required: true),
        new("sku", FieldType.Text),
        new("category", FieldType.Text),
        new("channel", FieldType.Choice, Allowed: Channels.EventChannels),
    ]);

    public static readonly ImportSchema Consents = new(ImportKind.Consents, "consents.csv",
    [
        new("customer_id", FieldType.Text, Required: true),
        new("channel", FieldType.Choice, Required: true, Allowed: Channels.Contact),
        new("status", FieldType.Choice, Required: true, Allowed: Channels.ConsentStatuses),
        new("updated_at", FieldType.DateTime, Required: true),
        new("source", FieldType.Text),
    ]);

    public static readonly IReadOnlyList<ImportSchema> All = [Customers, Products, Transactions, Events, Consents];

    public static ImportSchema For(ImportKind kind) => kind switch
    {
        ImportKind.Customers => Customers,
        ImportKind.Products => Products,
        ImportKind.Transactions => Transactions,
        ImportKind.Events => Events,
        ImportKind.Consents => Consents,
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
        ("transaction", ImportKind.Transactions), ("order", ImportKind.Transactions), ("event", ImportKind.Events),
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
