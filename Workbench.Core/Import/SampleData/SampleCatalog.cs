using System.Globalization;

namespace Workbench.Core.Import.SampleData;

internal sealed record SampleProduct(
    int Index, string Sku, string Name, int Category, string Subcategory, string Brand, int PriceCents, int? UnitCostCents)
{
    public string PriceText { get; } = Money.Format(PriceCents);
}

internal sealed record SampleCategory(
    string Name,
    string Code,
    double Weight,
    double ReturnRate,
    double[] MonthFactor,
    int[] Quantities,
    double[] QuantityWeights,
    (string Name, double MinPrice, double MaxPrice, string[] Items)[] Subcategories,
    string[] Brands,
    string[] Variants);

// About 25 products in each of 12 categories, whatever the number of customers.
internal sealed class SampleCatalog
{
    public const int ProductsPerCategory = 25;
    private const int ProductsWithoutCost = 9;

    private readonly double[][] _productCdf;
    private readonly double[][] _quantityCdf;
    private readonly double[][] _monthCdf;
    private readonly double[][] _broadMonthCdf;
    private readonly double[] _categoryCdf;

    private SampleCatalog(SampleCategory[] categories, SampleProduct[] products, double[] popularity)
    {
        Categories = categories;
        Products = products;
        _categoryCdf = Cdf.From([.. categories.Select(c => c.Weight)]);
        _quantityCdf = [.. categories.Select(c => Cdf.From(c.QuantityWeights))];
        _productCdf = new double[categories.Length][];
        for (var c = 0; c < categories.Length; c++)
        {
            _productCdf[c] = Cdf.From([.. products.Where(p => p.Category == c).Select(p => popularity[p.Index])]);
        }
        _monthCdf = new double[12][];
        _broadMonthCdf = new double[12][];
        for (var m = 0; m < 12; m++)
        {
            _monthCdf[m] = Cdf.From([.. categories.Select(c => c.Weight * c.MonthFactor[m])]);
            _broadMonthCdf[m] = Cdf.From([.. categories.Select(c => Math.Sqrt(c.Weight) * c.MonthFactor[m])]);
        }
    }

    public SampleCategory[] Categories { get; }

    public SampleProduct[] Products { get; }

    public int PickCategory(SampleRandom rng) => rng.Pick(_categoryCdf);

    // What a shopper picks in a month; broad shoppers spread across categories more evenly.
    public int PickCategory(SampleRandom rng, int month, bool broad) => rng.Pick(broad ? _broadMonthCdf[month] : _monthCdf[month]);

    public SampleProduct PickProduct(SampleRandom rng, int category) =>
        Products[category * ProductsPerCategory + rng.Pick(_productCdf[category])];

    public int PickQuantity(SampleRandom rng, int category) =>
        Categories[category].Quantities[rng.Pick(_quantityCdf[category])];

    public int IndexOf(string categoryName) => Array.FindIndex(Categories, c => c.Name == categoryName);

    public static SampleCatalog Create(int seed)
    {
        var rng = new SampleRandom(SampleRandom.Derive(seed, 1, 0));
        var categories = Definitions();
        var products = new SampleProduct[categories.Length * ProductsPerCategory];
        var popularity = new double[products.Length];
        var noCost = new HashSet<int>();
        while (noCost.Count < ProductsWithoutCost) noCost.Add(rng.Next(products.Length));

        for (var c = 0; c < categories.Length; c++)
        {
            var category = categories[c];
            var names = new HashSet<string>(StringComparer.Ordinal);
            var ranks = Enumerable.Range(0, ProductsPerCategory).ToArray();
            for (var i = ranks.Length - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (ranks[i], ranks[j]) = (ranks[j], ranks[i]);
            }
            for (var k = 0; k < ProductsPerCategory; k++)
            {
                var index = c * ProductsPerCategory + k;
                var sub = rng.Pick(category.Subcategories);
                // Items are listed cheapest first: the price's place in the range picks the item.
                var place = rng.NextDouble();
                var item = sub.Items[Math.Min(sub.Items.Length - 1, (int)(place * sub.Items.Length))];
                var brand = rng.Pick(category.Brands);
                var name = $"{brand} {item}";
                while (!names.Add(name))
                {
                    brand = rng.Pick(category.Brands);
                    name = $"{brand} {item}, {rng.Pick(category.Variants)}";
                }

                var price = NicePrice(Math.Exp(Math.Log(sub.MinPrice) + place * (Math.Log(sub.MaxPrice) - Math.Log(sub.MinPrice))), rng);
                int? cost = noCost.Contains(index) ? null : (int)Math.Round(price * rng.Between(0.40, 0.75));
                products[index] = new SampleProduct(index, $"{category.Code}-{1001 + k}", name, c, sub.Name, brand, price, cost);
                // Zipf-like popularity, with cheaper things bought more often.
                popularity[index] = 1.0 / Math.Pow(ranks[k] + 1, 0.8) / Math.Pow(price / 100.0 + 1, 0.3);
            }
        }
        return new SampleCatalog(categories, products, popularity);
    }

    // Shelf prices: 0.49/0.89 style under 5, .49/.99 under 100, round tens less a penny above.
    private static int NicePrice(double pounds, SampleRandom rng)
    {
        if (pounds < 5) return Math.Max(29, (int)Math.Round(pounds * 10) * 10 - 1);
        if (pounds < 100) return (int)pounds * 100 + (rng.Chance(0.7) ? 99 : 49);
        return (int)Math.Round(pounds / 10) * 1000 - (rng.Chance(0.8) ? 1 : 0);
    }

    private static double[] Months(double jan, double feb, double mar, double apr, double may, double jun,
        double jul, double aug, double sep, double oct, double nov, double dec) =>
        [jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec];

    private static SampleCategory[] Definitions() =>
    [
        new("Grocery", "GRO", 30, 0.003, Months(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.05, 1.2),
            [1, 2, 3, 4, 6], [0.6, 0.25, 0.08, 0.04, 0.03],
            [
                ("Fresh Produce", 0.45, 3.5, ["Bananas", "Carrots", "Broccoli", "Braeburn Apples", "Cherry Tomatoes", "Baby Spinach", "Avocados", "Blueberries"]),
                ("Dairy", 0.95, 5, ["Semi-Skimmed Milk 2L", "Greek Yoghurt", "Salted Butter", "Free Range Eggs x12", "Mature Cheddar"]),
                ("Bakery", 0.85, 3.5, ["Wholemeal Bread", "Bagels x5", "Croissants x4", "Sourdough Loaf"]),
                ("Pantry", 0.55, 8, ["Chopped Tomatoes", "Penne Pasta", "Basmati Rice 1kg", "Peanut Butter", "Granola", "Extra Virgin Olive Oil"]),
                ("Drinks", 0.9, 12, ["Orange Juice 1L", "Sparkling Water 6x500ml", "English Breakfast Tea x80", "Ground Coffee", "Craft Lager 4x440ml"]),
            ],
            ["Harvest Lane", "Meadowfield", "Northbrook", "Green Acre", "Baker & Sons", "Hollow Farm"],
            ["Organic", "Value Pack", "Family Size", "Reduced Sugar"]),
        new("Beauty", "BEA", 10, 0.015, Months(0.9, 1.2, 1, 1, 1, 1, 1, 0.9, 0.9, 1, 1.3, 1.6),
            [1, 2, 3], [0.85, 0.12, 0.03],
            [
                ("Skincare", 4, 45, ["Gentle Cleanser", "SPF 50 Sun Lotion", "Hydrating Face Cream", "Night Repair Oil", "Vitamin C Serum"]),
                ("Haircare", 3, 18, ["Styling Mousse", "Argan Oil Shampoo", "Repair Conditioner", "Hair Mask"]),
                ("Makeup", 5, 38, ["Volume Mascara", "Matte Lipstick", "Liquid Foundation", "Eyeshadow Palette"]),
                ("Fragrance", 12, 85, ["Body Mist", "Eau de Toilette 100ml", "Eau de Parfum 50ml"]),
            ],
            ["Lumière", "Botanica", "Pure Glow", "Velvet & Co", "Skinology"],
            ["Travel Size", "Sensitive", "Gift Set", "Refill"]),
        new("Home", "HOM", 9, 0.03, Months(1.1, 0.9, 1, 1, 1, 0.9, 0.9, 0.9, 1, 1.1, 1.2, 1.3),
            [1, 2, 3], [0.85, 0.12, 0.03],
            [
                ("Lighting", 4, 90, ["LED Bulbs 4-Pack", "Fairy Lights", "Table Lamp", "Floor Lamp"]),
                ("Decor", 5, 70, ["Cushion Cover", "Scented Candle", "Photo Frame", "Ceramic Vase", "Wall Mirror"]),
                ("Storage", 6, 45, ["Drawer Organiser", "Laundry Basket", "Storage Box Set", "Shoe Rack"]),
                ("Cleaning", 1.5, 90, ["Multi-Surface Spray", "Microfibre Cloths", "Laundry Detergent", "Steam Mop"]),
            ],
            ["Hearth & Home", "Nordlys", "Casa Verde", "Tidy House", "Oak & Linen"],
            ["Grey", "Sage", "Charcoal", "White", "Ochre"]),
        new("Furniture", "FUR", 2, 0.04, Months(1.4, 1, 1, 1, 1, 0.9, 0.9, 0.8, 1, 1, 1.1, 0.8),
            [1, 2], [0.95, 0.05],
            [
                ("Living Room", 79, 1200, ["Bookcase", "Coffee Table", "TV Unit", "Armchair", "3-Seater Sofa"]),
                ("Bedroom", 49, 950, ["Bedside Table", "Chest of Drawers", "Double Bed Frame", "Memory Foam Mattress", "Wardrobe"]),
                ("Dining", 45, 700, ["Bar Stool", "Dining Chairs x2", "Dining Table"]),
                ("Office", 69, 350, ["Office Chair", "Writing Desk"]),
            ],
            ["Oak & Linen", "Nordlys", "Stanford Living", "Loft Works"],
            ["Oak", "Walnut", "White", "Grey Fabric", "Velvet Green"]),
        new("Curtains & Textiles", "CUR", 4, 0.06, Months(1.3, 1, 1, 1, 0.9, 0.9, 0.9, 0.9, 1.2, 1.2, 1.1, 1),
            [1, 2, 4], [0.8, 0.17, 0.03],
            [
                ("Curtains", 14, 160, ["Voile Panels", "Eyelet Curtains", "Blackout Curtains", "Linen Curtains"]),
                ("Bedding", 12, 140, ["Feather Pillows x2", "Duvet 10.5 Tog", "Duvet Cover Set", "Egyptian Cotton Sheets"]),
                ("Towels", 4, 30, ["Hand Towel", "Bath Towel", "Bath Sheet"]),
                ("Rugs", 25, 220, ["Runner Rug", "Shaggy Rug", "Wool Rug"]),
                ("Blinds", 15, 75, ["Roller Blind", "Venetian Blind"]),
            ],
            ["Oak & Linen", "Softhaus", "Dreamweave", "Loom & Thread"],
            ["Grey", "Navy", "Blush", "Natural", "Teal"]),
        new("Kitchen", "KIT", 8, 0.03, Months(1, 0.9, 1, 1, 1, 0.9, 0.9, 0.9, 1, 1, 1.3, 1.5),
            [1, 2], [0.9, 0.1],
            [
                ("Cookware", 12, 150, ["Wok", "Non-Stick Frying Pan", "Saucepan Set", "Cast Iron Casserole"]),
                ("Appliances", 19, 250, ["Kettle", "Toaster", "Blender", "Air Fryer", "Coffee Machine"]),
                ("Tableware", 8, 60, ["Mugs x4", "Wine Glasses x4", "Dinner Plates x4", "Cutlery Set"]),
                ("Utensils", 3, 60, ["Measuring Jug", "Chopping Board", "Mixing Bowls", "Chef's Knife"]),
            ],
            ["Cookwell", "Brava", "Kitchen Craft Co", "Steelman"],
            ["Black", "Stainless Steel", "Cream", "Red"]),
        new("Electronics", "ELE", 5, 0.05, Months(1.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1, 1, 2.0, 1.8),
            [1, 2], [0.93, 0.07],
            [
                ("Audio", 19, 400, ["Wireless Earbuds", "Bluetooth Speaker", "Over-Ear Headphones", "Soundbar"]),
                ("Computing", 12, 900, ["Wireless Mouse", "USB-C Hub", "Keyboard", "Monitor 27in", "Laptop 14in"]),
                ("Phone Accessories", 8, 40, ["Screen Protector", "Phone Case", "Fast Charger", "Power Bank"]),
                ("TV", 29, 800, ["Streaming Stick", "Smart TV 43in", "Smart TV 55in"]),
                ("Smart Home", 9, 120, ["Smart Bulb", "Smart Plug", "Video Doorbell"]),
            ],
            ["Voltix", "Sonara", "Pixelon", "Arcline"],
            ["Black", "White", "Midnight Blue", "128GB"]),
        new("Toys", "TOY", 5, 0.04, Months(0.7, 0.7, 0.8, 0.9, 0.8, 0.9, 1.2, 1.2, 0.9, 1.1, 2.0, 3.0),
            [1, 2], [0.9, 0.1],
            [
                ("Building", 10, 90, ["Marble Run", "Building Bricks Set"]),
                ("Dolls", 8, 120, ["Fashion Doll", "Doll's House"]),
                ("Games", 6, 35, ["Card Game", "Jigsaw Puzzle 1000pc", "Family Board Game"]),
                ("Outdoor Play", 8, 200, ["Water Blaster", "Scooter", "Trampoline"]),
                ("Baby", 8, 45, ["Soft Toy Bunny", "Activity Gym"]),
            ],
            ["Playmore", "Tiny Tribe", "Brickworks", "Funhouse"],
            ["Junior", "Deluxe", "Travel Edition", "Rainbow"]),
        new("Sports", "SPO", 5, 0.04, Months(1.8, 1.2, 1, 1, 1.1, 1.2, 1.2, 1.1, 1, 0.9, 0.9, 0.9),
            [1, 2], [0.92, 0.08],
            [
                ("Fitness", 8, 120, ["Resistance Bands", "Yoga Mat", "Kettlebell 12kg", "Dumbbell Set"]),
                ("Running", 8, 130, ["Sports Socks x3", "Running Jacket", "Running Shoes"]),
                ("Cycling", 10, 80, ["Cycling Gloves", "Bike Lights Set", "Bike Helmet"]),
                ("Outdoor", 8, 250, ["Water Bottle", "Hiking Backpack 30L", "Camping Tent"]),
                ("Team Sports", 10, 120, ["Football", "Tennis Racket"]),
            ],
            ["Stride", "Peakform", "Trailhead", "Velo"],
            ["Black", "Blue", "Size M", "Size L"]),
        new("Fashion", "FAS", 12, 0.14, Months(1, 0.9, 1.1, 1.1, 1, 1, 1.1, 1, 1.2, 1.1, 1.1, 1.3),
            [1, 2], [0.88, 0.12],
            [
                ("Womenswear", 14, 90, ["Blouse", "Knit Jumper", "Tailored Trousers", "Midi Dress", "Denim Jacket"]),
                ("Menswear", 14, 120, ["Oxford Shirt", "Chinos", "Slim Jeans", "Crew Neck Jumper", "Parka"]),
                ("Kidswear", 6, 35, ["School Polo Shirts x2", "Kids Pyjamas", "Kids Raincoat"]),
                ("Footwear", 12, 110, ["Slippers", "Sandals", "Trainers", "Leather Boots"]),
                ("Accessories", 8, 60, ["Wool Scarf", "Sunglasses", "Leather Belt", "Tote Bag"]),
            ],
            ["Northbound", "Ivy & Rose", "Denim Lab", "Urban Field", "Little Ones"],
            ["Navy", "Black", "Camel", "Olive", "Stripe"]),
        new("Garden", "GAR", 4, 0.02, Months(0.3, 0.6, 1.5, 2.5, 2.8, 2.4, 1.8, 1.2, 0.8, 0.5, 0.3, 0.3),
            [1, 2, 3], [0.8, 0.15, 0.05],
            [
                ("Plants", 3, 25, ["Herb Trio", "Lavender Plant", "Bulb Collection", "Rose Bush"]),
                ("Garden Tools", 6, 300, ["Pruning Shears", "Leaf Rake", "Garden Hose 30m", "Lawn Mower"]),
                ("Garden Furniture", 35, 400, ["Parasol", "Garden Bench", "Rattan Bistro Set"]),
                ("Barbecue", 12, 350, ["BBQ Tool Set", "Charcoal BBQ", "Gas BBQ"]),
                ("Lawn Care", 3, 25, ["Bird Seed", "Compost 50L", "Lawn Feed"]),
            ],
            ["Greenthumb", "Bloomfield", "Patio Life", "Hollow Farm"],
            ["Large", "Small", "Twin Pack", "Premium"]),
        new("Pets", "PET", 6, 0.01, Months(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2),
            [1, 2, 3, 4], [0.65, 0.2, 0.1, 0.05],
            [
                ("Dog", 2, 60, ["Dog Treats", "Dog Lead", "Dry Dog Food 12kg", "Dog Bed"]),
                ("Cat", 2, 45, ["Cat Treats", "Wet Cat Food x12", "Cat Litter 10L", "Scratching Post"]),
                ("Small Pets", 4, 70, ["Rabbit Food", "Hamster Cage"]),
                ("Fish", 3, 90, ["Fish Flakes", "Aquarium Starter Kit"]),
            ],
            ["Happy Paws", "Whisker", "Field & Fetch", "PetPal"],
            ["Puppy", "Senior", "Grain Free", "Large Breed"]),
    ];
}

internal static class Money
{
    // Pence to "12.34", invariant.
    public static string Format(long cents)
    {
        var negative = cents < 0;
        var value = Math.Abs(cents);
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{value / 100}.{value % 100:D2}");
    }
}
