using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Workbench.Core.Import.SampleData;

// The five CSV writers, fed row by row. Fields that cannot hold a delimiter or quote skip CsvHelper's quoting check.
internal sealed class SampleCsvFiles : IDisposable
{
    public static readonly string[] CustomerColumns =
    [
        "customer_id", "first_name", "last_name", "email", "phone", "birth_date", "gender", "city", "region", "postal_code",
        "country", "home_store", "signup_date", "loyalty_tier", "loyalty_points", "preferred_channel", "time_zone",
    ];

    public static readonly string[] ProductColumns = ["sku", "name", "category", "subcategory", "brand", "price", "unit_cost"];

    public static readonly string[] TransactionColumns =
        ["order_id", "line_no", "customer_id", "ordered_at", "sku", "quantity", "unit_price", "discount", "channel", "store_id"];

    public static readonly string[] EventColumns = ["event_id", "customer_id", "occurred_at", "type", "sku", "category", "channel"];

    public static readonly string[] ConsentColumns = ["customer_id", "channel", "status", "updated_at", "source"];

    private const int BufferSize = 1 << 16;

    private static readonly string[] PurchaseChannelNames = ["store", "web", "app"];
    private static readonly string[] EventChannelNames = ["web", "app", "store", "email"];
    private static readonly string[] EventTypeNames =
        ["page_view", "product_view", "search", "cart_add", "cart_abandon", "app_open", "store_visit", "email_open", "email_click"];
    private static readonly string[] Small = [.. Enumerable.Range(-64, 129).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    private readonly SampleCalendar _calendar;
    private readonly SampleCatalog _catalog;
    private readonly List<CsvWriter> _all = [];
    private readonly CsvWriter _customers, _products, _transactions, _events, _consents;

    public SampleCsvFiles(string directory, SampleCalendar calendar, SampleCatalog catalog)
    {
        _calendar = calendar;
        _catalog = catalog;
        try
        {
            _customers = Open(directory, SampleDataFiles.Customers, CustomerColumns);
            _products = Open(directory, SampleDataFiles.Products, ProductColumns);
            _transactions = Open(directory, SampleDataFiles.Transactions, TransactionColumns);
            _events = Open(directory, SampleDataFiles.Events, EventColumns);
            _consents = Open(directory, SampleDataFiles.Consents, ConsentColumns);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public long Customers { get; private set; }
    public long Products { get; private set; }
    public long Orders { get; private set; }
    public long OrderLines { get; private set; }
    public long ReturnLines { get; private set; }
    public long Events { get; private set; }
    public long Consents { get; private set; }
    public List<OrphanOrderLine> OrphanLines { get; } = [];

    public void WriteProducts()
    {
        var w = _products;
        foreach (var p in _catalog.Products)
        {
            w.WriteField(p.Sku, false);
            w.WriteField(p.Name);
            w.WriteField(_catalog.Categories[p.Category].Name);
            w.WriteField(p.Subcategory);
            w.WriteField(p.Brand);
            w.WriteField(p.PriceText, false);
            w.WriteField(p.UnitCostCents is { } cost ? Money.Format(cost) : "", false);
            w.NextRecord();
            Products++;
        }
    }

    public void Write(SimulatedCustomer c)
    {
        WriteCustomer(c);
        foreach (var consent in c.Consents)
        {
            _consents.WriteField(c.Id, false);
            _consents.WriteField(CustomerSimulator.ChannelName(consent.Channel), false);
            _consents.WriteField(consent.Granted ? "granted" : "denied", false);
            _consents.WriteField(consent.UpdatedAt, false);
            _consents.WriteField(consent.Source, false);
            _consents.NextRecord();
            Consents++;
        }
        WriteOrders(c);
        WriteEvents(c);
    }

    private void WriteCustomer(SimulatedCustomer c)
    {
        var w = _customers;
        w.WriteField(c.Id, false);
        w.WriteField(c.FirstName);
        w.WriteField(c.LastName);
        w.WriteField(c.Email);
        w.WriteField(c.Phone);
        w.WriteField(c.BirthDate, false);
        w.WriteField(c.Gender, false);
        w.WriteField(c.City);
        w.WriteField(c.Region);
        w.WriteField(c.PostalCode);
        w.WriteField(c.Country, false);
        w.WriteField(c.HomeStore, false);
        w.WriteField(c.SignupDate, false);
        w.WriteField(c.LoyaltyTier, false);
        w.WriteField(c.LoyaltyPoints, false);
        w.WriteField(c.PreferredChannel, false);
        w.WriteField(c.TimeZone, false);
        w.NextRecord();
        Customers++;
    }

    private void WriteOrders(SimulatedCustomer c)
    {
        var w = _transactions;
        var lines = c.Lines;
        foreach (var o in c.Orders)
        {
            var orderId = Id('O', ++Orders);
            var customerId = o.OrphanCustomerId ?? c.Id;
            var orderedAt = _calendar.Timestamp(o.Time);
            var channel = PurchaseChannelNames[(int)o.Channel];
            var store = o.Store ?? "";
            for (var i = 0; i < o.LineCount; i++)
            {
                var line = lines[o.FirstLine + i];
                var product = _catalog.Products[line.Product];
                w.WriteField(orderId, false);
                w.WriteField(Small[64 + i + 1], false);
                w.WriteField(customerId, false);
                w.WriteField(orderedAt, false);
                w.WriteField(product.Sku, false);
                w.WriteField(line.Quantity is >= -64 and <= 64 ? Small[64 + line.Quantity] : line.Quantity.ToString(CultureInfo.InvariantCulture), false);
                w.WriteField(line.UnitCents == product.PriceCents ? product.PriceText : Money.Format(line.UnitCents), false);
                w.WriteField(line.DiscountCents == 0 ? "0.00" : Money.Format(line.DiscountCents), false);
                w.WriteField(channel, false);
                w.WriteField(store, false);
                w.NextRecord();
                OrderLines++;
                if (o.IsReturn) ReturnLines++;
                if (o.OrphanCustomerId is not null) OrphanLines.Add(new OrphanOrderLine(orderId, i + 1, OrderLines + 1, customerId));
            }
        }
    }

    private void WriteEvents(SimulatedCustomer c)
    {
        var w = _events;
        foreach (var e in c.Events)
        {
            w.WriteField(Id('E', ++Events), false);
            w.WriteField(c.Id, false);
            w.WriteField(_calendar.Timestamp(e.Time), false);
            w.WriteField(EventTypeNames[(int)e.Type], false);
            w.WriteField(e.Product >= 0 ? _catalog.Products[e.Product].Sku : "", false);
            w.WriteField(e.Category >= 0 ? _catalog.Categories[e.Category].Name : "");
            w.WriteField(EventChannelNames[(int)e.Channel], false);
            w.NextRecord();
        }
    }

    // O00000001, E00000001: eight digits, more when needed.
    private static string Id(char prefix, long number)
    {
        var digits = Math.Max(8, (int)Math.Floor(Math.Log10(number)) + 1);
        return string.Create(digits + 1, (prefix, number), static (span, state) =>
        {
            span[0] = state.prefix;
            var n = state.number;
            for (var i = span.Length - 1; i > 0; i--)
            {
                span[i] = (char)('0' + n % 10);
                n /= 10;
            }
        });
    }

    private CsvWriter Open(string directory, string fileName, string[] columns)
    {
        var stream = new FileStream(Path.Combine(directory, fileName), FileMode.Create, FileAccess.Write, FileShare.Read, BufferSize);
        var writer = new CsvWriter(
            new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize),
            new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n", BufferSize = BufferSize });
        _all.Add(writer);
        foreach (var column in columns) writer.WriteField(column, false);
        writer.NextRecord();
        return writer;
    }

    public void Dispose()
    {
        foreach (var writer in _all) writer.Dispose();
        _all.Clear();
    }
}
