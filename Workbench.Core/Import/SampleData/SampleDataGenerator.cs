using System.Globalization;

namespace Workbench.Core.Import.SampleData;

// A synthetic UK and Ireland retailer: customers, products, order lines, events and consents as the importer
// reads them. Deterministic: the same options give the same bytes. Customers are generated one at a time and
// streamed to the five files, so memory does not grow with the number of customers.
public static class SampleDataGenerator
{
    public static Task<SampleDataSummary> WriteAsync(
        string directory, SampleDataOptions options, IProgress<string>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Customers, SampleDataOptions.MaxCustomers, nameof(options));
        return Task.Run(() => Write(directory, options, progress, ct), ct);
    }

    private static SampleDataSummary Write(string directory, SampleDataOptions options, IProgress<string>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var calendar = new SampleCalendar(options.EndDate);
        var catalog = SampleCatalog.Create(options.Seed);
        var plan = options.IncludeProblems
            ? ProblemPlan.Create(options.Customers, options.Seed)
            : ProblemPlan.None(options.Customers);
        var simulator = new CustomerSimulator(options.Seed, calendar, catalog, new SampleGeography(), plan, options.Model);
        var customersByArchetype = new long[SampleArchetypes.All.Length];
        var linesByArchetype = new long[SampleArchetypes.All.Length];
        var reportEvery = Math.Max(1, options.Customers / 10);

        using var files = new SampleCsvFiles(directory, calendar, catalog);
        files.WriteProducts();
        for (var i = 0; i < options.Customers; i++)
        {
            ct.ThrowIfCancellationRequested();
            var customer = simulator.Simulate(i);
            files.Write(customer);
            customersByArchetype[customer.Archetype]++;
            linesByArchetype[customer.Archetype] += customer.Lines.Count;
            if ((i + 1) % reportEvery == 0 || i + 1 == options.Customers)
            {
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{i + 1:N0}/{options.Customers:N0} customers, {files.OrderLines:N0} order lines, {files.Events:N0} events"));
            }
        }
        files.Dispose();

        return new SampleDataSummary(
            files.Customers,
            files.Products,
            files.Orders,
            files.OrderLines,
            files.ReturnLines,
            files.Events,
            files.Consents,
            [.. SampleArchetypes.All.Select((a, i) => new ArchetypeCount(a.Name, customersByArchetype[i], linesByArchetype[i]))],
            options.IncludeProblems
                ? new PlantedProblems([.. plan.Duplicates], [.. plan.Invalid], [.. files.OrphanLines])
                : PlantedProblems.None);
    }
}
