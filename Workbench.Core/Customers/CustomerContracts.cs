namespace Workbench.Core.Customers;

public enum CustomerSort { Id, Name, Email, Region, Tier, Orders, Revenue, LastPurchase }

public sealed record CustomerListQuery(
    string? Search = null,
    string? Region = null,
    string? Tier = null,
    string? ConsentChannel = null,
    string? ConsentStatus = null,
    DateOnly? LastPurchaseFrom = null,
    DateOnly? LastPurchaseTo = null,
    CustomerSort Sort = CustomerSort.Id,
    bool Descending = false,
    int Skip = 0,
    int Take = 25,
    // False for a role that sees contact details masked: the search then never matches on what the mask hides.
    bool SeesContactDetails = false);

// Revenue is net revenue (gross − returns); Consents maps each contact channel to granted, denied or unknown.
public sealed record CustomerListItem(
    string CustomerId, string? FirstName, string? LastName, string? Email, string? Region, string? LoyaltyTier,
    long Orders, double NetRevenue, DateTime? LastPurchaseAt, IReadOnlyDictionary<string, string> Consents)
{
    public string Name => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
}

// Total is exact unless Capped: then at least that many customers match (CustomerService.CountCap).
public sealed record CustomerPage(IReadOnlyList<CustomerListItem> Items, long Total, bool Capped = false);

public sealed record CustomerFilterOptions(IReadOnlyList<string> Regions, IReadOnlyList<string> Tiers);

public sealed record ImportSource(long ImportRunId, string FileName, DateTime ImportedAt);

// Status: ok, missing ("not provided") or suspect (with Note saying why). Source: the import that last changed this
// field's value (the customer's first import when none changed it since).
public sealed record ProfileField(string Name, string Label, string? Value, string Status, string? Note, ImportSource? Source = null);

public sealed record ConsentState(string Channel, string Status, DateTime? Since, string? Source);

public sealed record DataIssue(string Kind, string Message, string? RelatedCustomerId = null);

public sealed record TimelineLine(int LineNo, string Sku, string? ProductName, string? Category, double Quantity,
    double UnitPrice, double Discount, double Amount, bool IsReturn);

public sealed record TimelineOrder(string OrderId, DateTime OrderedAt, string? Channel, string? StoreId, bool IsReturn,
    double Amount, IReadOnlyList<TimelineLine> Lines);

public sealed record ProfileEvent(DateTime OccurredAt, string Type, string? Sku, string? Category, string? Channel);

public sealed record CustomerProfile(
    string CustomerId,
    string? DisplayName,
    IReadOnlyList<ProfileField> Fields,
    ImportSource? Source,
    ImportSource? CreatedBy,
    string? LoyaltyTier,
    long? LoyaltyPoints,
    string? PreferredChannel,
    IReadOnlyList<ConsentState> Consents,
    CustomerKpiFigures Kpis,
    IReadOnlyList<TimelineOrder> Timeline,
    long TimelineOrderCount,
    IReadOnlyList<ProfileEvent> LatestEvents,
    IReadOnlyList<DataIssue> Issues)
{
    // The timeline lists every order id; the figures count an order only when it has a purchase line.
    public long ReturnOnlyOrders => Math.Max(0, TimelineOrderCount - Kpis.Orders);
}
