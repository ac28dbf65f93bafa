using System.Globalization;
using System.Text;

namespace Workbench.Core.Import.SampleData;

internal sealed record NamePool(string[] Names, string[] EmailParts, double[] Cdf);

// Names common in the UK and Ireland across generations, most common first. (Bogus falls back to its US
// 'en' lists for en_GB names, which look wrong next to UK postcodes.)
internal static class SamplePeople
{
    public static readonly NamePool Female = Pool(
        "Sarah", "Emma", "Olivia", "Sophie", "Laura", "Amelia", "Emily", "Jessica", "Charlotte", "Hannah", "Lucy", "Rebecca",
        "Claire", "Isla", "Grace", "Amy", "Rachel", "Katie", "Lauren", "Megan", "Chloe", "Holly", "Ava", "Mia", "Lily",
        "Freya", "Ella", "Poppy", "Evie", "Isabella", "Gemma", "Nicola", "Louise", "Helen", "Michelle", "Joanne", "Kelly",
        "Lisa", "Karen", "Susan", "Julie", "Alison", "Jennifer", "Victoria", "Zoe", "Hayley", "Natalie", "Jade", "Amanda",
        "Elizabeth", "Catherine", "Margaret", "Patricia", "Linda", "Deborah", "Jacqueline", "Tracey", "Angela", "Anne",
        "Janet", "Carol", "Christine", "Pauline", "Sandra", "Jean", "Maureen", "Barbara", "Sheila", "Ivy", "Sophia",
        "Anna", "Maria", "Fatima", "Aisha", "Priya", "Zara", "Maryam", "Natalia", "Agnieszka", "Eilidh", "Cerys",
        "Seren", "Bethan", "Morag");

    public static readonly NamePool Male = Pool(
        "James", "David", "John", "Thomas", "Daniel", "Michael", "Oliver", "George", "Jack", "Harry", "William", "Paul",
        "Mark", "Andrew", "Richard", "Matthew", "Christopher", "Robert", "Samuel", "Joshua", "Ryan", "Luke", "Benjamin",
        "Adam", "Noah", "Arthur", "Leo", "Oscar", "Archie", "Henry", "Charlie", "Freddie", "Theo", "Alfie", "Jacob",
        "Liam", "Callum", "Lewis", "Jamie", "Nathan", "Connor", "Kieran", "Ben", "Joe", "Sam", "Tom", "Stephen", "Peter",
        "Simon", "Steven", "Ian", "Gary", "Darren", "Neil", "Martin", "Graham", "Kevin", "Anthony", "Brian", "Keith",
        "Colin", "Alan", "Trevor", "Derek", "Kenneth", "Barry", "Mohammed", "Ali", "Omar", "Arjun", "Rohan", "Hamza",
        "Yusuf", "Jakub", "Piotr", "Tomasz", "Ewan", "Angus", "Fraser", "Rhys", "Dylan", "Gareth", "Owain");

    public static readonly NamePool Last = Pool(
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood",
        "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison",
        "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
        "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins",
        "Morgan", "Kelly", "Begum", "Miller", "Cox", "Hussain", "Marshall", "Simpson", "Price", "Anderson", "Adams",
        "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis", "Murphy", "Chapman", "Mason", "Gray", "Richards", "Webb",
        "Griffiths", "Hunt", "Palmer", "Campbell", "Holmes", "Mills", "Rogers", "Barnes", "Knight", "Matthews", "Barker",
        "Powell", "Stevens", "Kaur", "Fisher", "Butler", "Dixon", "Russell", "Harvey", "Pearson", "Graham", "Fletcher",
        "Murray", "Howard", "Stewart", "Reid", "MacDonald", "Robertson", "Ross", "Fraser", "Lloyd", "Rees", "Jenkins",
        "Owen", "Pritchard", "Vaughan", "Nowak", "Kowalczyk", "Nguyen", "Chen", "Wong", "Okafor", "Adeyemi", "Mensah",
        "Silva", "Santos", "Rossi", "Smith-Jones", "Fitzgerald");

    public static readonly NamePool IrishFemale = Pool(
        "Aoife", "Niamh", "Ciara", "Sinéad", "Siobhán", "Róisín", "Saoirse", "Orla", "Clodagh", "Aisling", "Mary",
        "Sarah", "Emma", "Grace", "Sophie", "Ellen", "Caoimhe", "Éabha");

    public static readonly NamePool IrishMale = Pool(
        "Seán", "Conor", "Cian", "Darragh", "Oisín", "Ciarán", "Patrick", "Liam", "Eoin", "Niall", "Jack", "James",
        "Michael", "Declan", "Fionn", "Tadhg", "Brian", "Colm");

    public static readonly NamePool IrishLast = Pool(
        "Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "O'Reilly",
        "Doyle", "McCarthy", "Gallagher", "Doherty", "Kennedy", "Lynch", "Murray", "Quinn", "Moore", "McLoughlin",
        "Carroll", "Connolly", "Daly", "Brennan", "Ní Bhriain");

    private static readonly string[] Domains =
        ["example.com", "example.net", "example.org", "mail.example.com", "post.example.net", "inbox.example.org"];

    private static readonly double[] DomainCdf = Cdf.From([0.35, 0.2, 0.15, 0.12, 0.1, 0.08]);

    public const int EmailPatterns = 5;

    public static string PickDomain(SampleRandom rng) => Domains[rng.Pick(DomainCdf)];

    // Every pattern ends in the customer number, so no two customers share an address by accident.
    public static string Email(int pattern, string first, string last, int number, string domain) => pattern switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{number}@{domain}"),
        1 => string.Create(CultureInfo.InvariantCulture, $"{first}{number}@{domain}"),
        2 => string.Create(CultureInfo.InvariantCulture, $"{first[0]}{last}{number}@{domain}"),
        3 => string.Create(CultureInfo.InvariantCulture, $"{last}.{first}{number}@{domain}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{first}_{last}{number}@{domain}"),
    };

    // Typing slips seen in real lists; each fails any reasonable address check.
    public static string InvalidEmail(int kind, string first, string last, int number, string domain) => (kind % 5) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{number}@"),
        1 => string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{number} at {domain}"),
        2 => string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{number}@@{domain}"),
        3 => string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{number}.{domain}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{first} {last}{number}@{domain}"),
    };

    // Unique per customer number (an affine bijection on the digits); E.164 mostly, some in national format.
    public static string Phone(int number, bool irish, bool national, int prefixChoice)
    {
        if (irish)
        {
            var digits = (long)(((ulong)number * 1_234_567UL + 2_718_281UL) % 10_000_000UL);
            var prefix = "35679"[prefixChoice % 5];
            return national
                ? string.Create(CultureInfo.InvariantCulture, $"08{prefix} {digits / 10_000:D3} {digits % 10_000:D4}")
                : string.Create(CultureInfo.InvariantCulture, $"+3538{prefix}{digits:D7}");
        }
        var mobile = (long)(((ulong)number * 387_420_489UL + 141_421_356UL) % 1_000_000_000UL);
        return national
            ? string.Create(CultureInfo.InvariantCulture, $"07{mobile / 1_000_000:D3} {mobile % 1_000_000:D6}")
            : string.Create(CultureInfo.InvariantCulture, $"+447{mobile:D9}");
    }

    private static NamePool Pool(params string[] names) =>
        new(names, [.. names.Select(EmailPart)], Cdf.From([.. names.Select((_, rank) => 1.0 / Math.Pow(rank + 1, 0.7))]));

    private static string EmailPart(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var ch in name.ToLowerInvariant())
        {
            var plain = ch switch { 'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', _ => ch };
            if (plain is >= 'a' and <= 'z') sb.Append(plain);
        }
        return sb.ToString();
    }
}
