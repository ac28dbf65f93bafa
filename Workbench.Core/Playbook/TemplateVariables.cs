using Fluid.Values;

namespace Workbench.Core.Playbook;

// The variables a play's content may use. Customer values are converted once per customer (Customer) and shared by
// every play rendered for them; the offer and the recommendations are added per play. A value the customer lacks
// is nil, so `{{ first_name | default: "there" }}` falls back.
public static class TemplateVariables
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["customer_id"] = "the customer's id",
        ["first_name"] = "first name",
        ["last_name"] = "last name",
        ["city"] = "city",
        ["region"] = "region",
        ["country"] = "country",
        ["home_store"] = "home store",
        ["loyalty_tier"] = "loyalty tier (empty for non-members)",
        ["points"] = "loyalty points balance",
        ["signup_date"] = "signup date (yyyy-MM-dd)",
        ["preferred_channel"] = "preferred channel",
        ["orders"] = "orders so far",
        ["net_revenue"] = "net revenue so far",
        ["days_since_last_purchase"] = "whole days since the last purchase (customer's time zone)",
        ["last_purchase_date"] = "date of the last purchase (yyyy-MM-dd)",
        ["top_category"] = "the customer's top category",
        ["top_categories"] = "the top three categories (a list)",
        ["favourite_daypart"] = "morning, midday or evening",
        ["rfm_cell"] = "RFM cell, e.g. 543",
        ["predicted_value"] = "predicted 12-month value",
        ["probability_alive"] = "P(alive), 0–1",
        ["offer"] = "the play's offer: kind, description, value, minimum_spend, valid_from, valid_to, category, members_only",
        ["recommended_products"] = "the recommendations slot: a list of sku, name, category, price",
    };

    public static IReadOnlyDictionary<string, FluidValue> Customer(PlaybookCustomer c)
    {
        var s = c.Snapshot;
        var p = s.Profile;
        var f = s.Features;
        var last = f?.LastPurchaseAt;
        var tops = new[] { f?.TopCategory1, f?.TopCategory2, f?.TopCategory3 }.Where(x => !string.IsNullOrEmpty(x)).Select(x => (FluidValue)new StringValue(x!)).ToArray();
        return new Dictionary<string, FluidValue>(StringComparer.Ordinal)
        {
            ["customer_id"] = new StringValue(s.CustomerId),
            ["first_name"] = Text(p.FirstName),
            ["last_name"] = Text(p.LastName),
            ["city"] = Text(p.City),
            ["region"] = Text(p.Region),
            ["country"] = Text(p.Country),
            ["home_store"] = Text(p.HomeStore),
            ["loyalty_tier"] = Text(p.LoyaltyTier),
            ["points"] = p.LoyaltyPoints is { } pts ? NumberValue.Create(pts) : NilValue.Instance,
            ["signup_date"] = p.SignupDate is { } sd ? new StringValue(Show.Day(sd)) : NilValue.Instance,
            ["preferred_channel"] = Text(p.PreferredChannel),
            ["orders"] = NumberValue.Create(f?.Orders ?? 0),
            ["net_revenue"] = Money(f?.NetRevenue ?? 0),
            ["days_since_last_purchase"] = last is { } l ? NumberValue.Create(c.Today.DayNumber - c.LocalDate(l).DayNumber) : NilValue.Instance,
            ["last_purchase_date"] = last is { } l2 ? new StringValue(Show.Day(c.LocalDate(l2))) : NilValue.Instance,
            ["top_category"] = Text(f?.TopCategory1),
            ["top_categories"] = new ArrayValue(tops),
            ["favourite_daypart"] = Text(f?.FavouriteDaypart),
            ["rfm_cell"] = Text(f?.RfmCell),
            ["predicted_value"] = f?.PredictedValue12m is { } v ? Money(v) : NilValue.Instance,
            ["probability_alive"] = f?.ProbabilityAlive is { } a ? NumberValue.Create(Math.Round((decimal)a, 3)) : NilValue.Instance,
        };
    }

    public static FluidValue Offer(Offer o) => new DictionaryValue(new FluidValueDictionaryFluidIndexable(new Dictionary<string, FluidValue>(StringComparer.Ordinal)
    {
        ["kind"] = new StringValue(JsonName(o.Kind)),
        ["description"] = Text(o.Description),
        ["value"] = o.Value is { } v ? NumberValue.Create((decimal)v) : NilValue.Instance,
        ["minimum_spend"] = o.MinimumSpend is { } m ? Money(m) : NilValue.Instance,
        ["valid_from"] = o.ValidFrom is { } f ? new StringValue(Show.Day(f)) : NilValue.Instance,
        ["valid_to"] = o.ValidTo is { } t ? new StringValue(Show.Day(t)) : NilValue.Instance,
        ["category"] = Text(o.Category),
        ["members_only"] = o.MembersOnly ? BooleanValue.True : BooleanValue.False,
    }));

    public static FluidValue Products(IReadOnlyList<RecommendedProduct> products)
    {
        var items = new FluidValue[products.Count];
        for (var i = 0; i < products.Count; i++)
        {
            var p = products[i];
            items[i] = new DictionaryValue(new FluidValueDictionaryFluidIndexable(new Dictionary<string, FluidValue>(StringComparer.Ordinal)
            {
                ["sku"] = new StringValue(p.Sku),
                ["name"] = new StringValue(p.Name),
                ["category"] = Text(p.Category),
                ["price"] = p.Price is { } price ? Money(price) : NilValue.Instance,
            }));
        }
        return new ArrayValue(items);
    }

    private static FluidValue Text(string? s) => string.IsNullOrEmpty(s) ? NilValue.Instance : new StringValue(s);

    private static FluidValue Money(double x) => NumberValue.Create(Math.Round((decimal)x, 2));

    private static string JsonName(OfferKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
