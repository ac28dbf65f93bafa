namespace Workbench.Core.Import.SampleData;

internal sealed record SampleCity(
    string Name, string Region, string Country, string TimeZone, double Weight, string[] StoreIds, string[] OutwardCodes)
{
    public bool Irish => Country == "IE";
}

// A UK and Ireland retailer with 40 stores; every city a customer lives in has at least one.
internal sealed class SampleGeography
{
    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ";
    private const string EircodeCharacters = "0123456789ACDEFHKNPRTVWXY";

    private readonly double[] _cityCdf;

    public SampleGeography()
    {
        var specs = new (string Name, string Region, string Country, double Weight, int Stores, string[] Outward)[]
        {
            ("London", "Greater London", "GB", 14, 6,
                [.. Districts("E", 1, 18), .. Districts("N", 1, 22), .. Districts("NW", 1, 11), .. Districts("SE", 1, 28), .. Districts("SW", 1, 20), .. Districts("W", 2, 14)]),
            ("Birmingham", "West Midlands", "GB", 4, 2, Districts("B", 1, 76)),
            ("Manchester", "North West", "GB", 4, 2, Districts("M", 1, 40)),
            ("Glasgow", "Scotland", "GB", 3, 1, Districts("G", 1, 84)),
            ("Leeds", "Yorkshire and the Humber", "GB", 3, 1, Districts("LS", 1, 29)),
            ("Liverpool", "North West", "GB", 2.5, 1, Districts("L", 1, 38)),
            ("Bristol", "South West", "GB", 2.5, 1, Districts("BS", 1, 16)),
            ("Sheffield", "Yorkshire and the Humber", "GB", 2.5, 1, Districts("S", 1, 36)),
            ("Edinburgh", "Scotland", "GB", 2.5, 1, Districts("EH", 1, 17)),
            ("Cardiff", "Wales", "GB", 2, 1, Districts("CF", 3, 24)),
            ("Leicester", "East Midlands", "GB", 2, 1, Districts("LE", 1, 19)),
            ("Nottingham", "East Midlands", "GB", 2, 1, Districts("NG", 1, 17)),
            ("Newcastle upon Tyne", "North East", "GB", 2, 1, Districts("NE", 1, 15)),
            ("Belfast", "Northern Ireland", "GB", 2, 1, Districts("BT", 1, 17)),
            ("Southampton", "South East", "GB", 1.5, 1, Districts("SO", 14, 19)),
            ("Brighton", "South East", "GB", 1.5, 1, Districts("BN", 1, 3)),
            ("Reading", "South East", "GB", 1.5, 1, Districts("RG", 1, 6)),
            ("Coventry", "West Midlands", "GB", 1.5, 1, Districts("CV", 1, 6)),
            ("Kingston upon Hull", "Yorkshire and the Humber", "GB", 1.2, 1, Districts("HU", 1, 9)),
            ("Stoke-on-Trent", "West Midlands", "GB", 1.2, 1, Districts("ST", 1, 6)),
            ("Derby", "East Midlands", "GB", 1.2, 1, Districts("DE", 1, 24)),
            ("Plymouth", "South West", "GB", 1.2, 1, Districts("PL", 1, 9)),
            ("Aberdeen", "Scotland", "GB", 1.2, 1, Districts("AB", 10, 25)),
            ("Norwich", "East of England", "GB", 1.2, 1, Districts("NR", 1, 7)),
            ("York", "Yorkshire and the Humber", "GB", 1, 1, Districts("YO", 1, 32)),
            ("Oxford", "South East", "GB", 1, 1, Districts("OX", 1, 4)),
            ("Cambridge", "East of England", "GB", 1, 1, Districts("CB", 1, 5)),
            ("Milton Keynes", "South East", "GB", 1, 1, Districts("MK", 1, 19)),
            ("Swansea", "Wales", "GB", 1, 1, Districts("SA", 1, 9)),
            ("Exeter", "South West", "GB", 0.8, 1, Districts("EX", 1, 6)),
            ("Dublin", "Leinster", "IE", 3, 2, Eircodes("D", 1, 24)),
            ("Cork", "Munster", "IE", 1, 1, ["T12", "T23", "T45"]),
        };

        var cities = new SampleCity[specs.Length];
        var storeNumber = 0;
        for (var i = 0; i < specs.Length; i++)
        {
            var s = specs[i];
            var stores = new string[s.Stores];
            for (var k = 0; k < stores.Length; k++) stores[k] = $"S{++storeNumber:D3}";
            cities[i] = new SampleCity(s.Name, s.Region, s.Country, s.Country == "IE" ? "Europe/Dublin" : "Europe/London",
                s.Weight, stores, s.Outward);
        }
        Cities = cities;
        StoreIds = [.. cities.SelectMany(c => c.StoreIds)];
        _cityCdf = Cdf.From([.. cities.Select(c => c.Weight)]);
    }

    public SampleCity[] Cities { get; }

    public string[] StoreIds { get; }

    public SampleCity PickCity(SampleRandom rng) => Cities[rng.Pick(_cityCdf)];

    // Shoppers away from home mostly end up in the big cities' stores.
    public string PickAnyStore(SampleRandom rng) => rng.Pick(PickCity(rng).StoreIds);

    public static string PostalCode(SampleRandom rng, SampleCity city)
    {
        var outward = rng.Pick(city.OutwardCodes);
        if (city.Irish)
        {
            return string.Create(8, (outward, rng.NextUInt64()), static (span, state) =>
            {
                state.outward.AsSpan().CopyTo(span);
                span[3] = ' ';
                var bits = state.Item2;
                span[4] = EircodeCharacters[10 + (int)(bits % 15)];
                for (var i = 5; i < 8; i++)
                {
                    bits /= 25;
                    span[i] = EircodeCharacters[(int)(bits % 25)];
                }
            });
        }
        return string.Concat(outward, " ",
            ((char)('0' + rng.Next(10))).ToString(),
            InwardLetters[rng.Next(InwardLetters.Length)].ToString(),
            InwardLetters[rng.Next(InwardLetters.Length)].ToString());
    }

    private static string[] Districts(string area, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(n => area + n)];

    private static string[] Eircodes(string area, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(n => $"{area}{n:D2}")];
}
