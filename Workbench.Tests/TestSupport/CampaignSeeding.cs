using System.Globalization;
using System.Text;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;

namespace Workbench.Tests.TestSupport;

// The small worlds the campaign, meeting and report tests run in: customers anyone may e-mail and one play that is
// always eligible, as files for the importer (in-process or through the command line).
public static class CampaignSeeding
{
    // count customers {prefix}00… named firstName, each with an e-mail address and e-mail consent granted on 2026-01-01;
    // digits: the width of the number.
    public static (string Customers, string Consents) Reachable(string prefix, int count, string firstName, int digits = 2, string? timeZone = null)
    {
        var customers = new StringBuilder("customer_id,first_name,email" + (timeZone is null ? "" : ",time_zone") + "\n");
        var consents = new StringBuilder("customer_id,channel,status,updated_at,source\n");
        for (var i = 0; i < count; i++)
        {
            var id = prefix + i.ToString("D" + digits, CultureInfo.InvariantCulture);
            customers.Append(CultureInfo.InvariantCulture, $"{id},{firstName},{prefix.ToLowerInvariant()}{i}@example.com{(timeZone is null ? "" : "," + timeZone)}\n");
            consents.Append(CultureInfo.InvariantCulture, $"{id},email,granted,2026-01-01T00:00:00Z,web\n");
        }
        return (customers.ToString(), consents.ToString());
    }

    // A service play "receipt" firing every minute: a service message is exempt from caps and quiet hours, so a run
    // sends whatever the hour a test runs at.
    public static string ServicePlayFile()
    {
        var play = PlaybookFixture.Play("receipt") with { Name = "Order receipt", UseCaseId = "uc-svc", Trigger = new ScheduledTrigger("* * * * *", 1), CooldownDays = 0 };
        return PlaybookJson.Export(new PlaybookFile(1,
            [new UseCase("uc-svc", "Receipts", Objective.Service, "after an order", "support calls", "t", UseCaseStatus.Active)], [play]));
    }

    // The play "hello" of use case uc-1 (objective Grow), due every minute with no cooldown.
    public static string GrowPlayFile()
    {
        var play = PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1), CooldownDays = 0 };
        return PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [play]));
    }
}
