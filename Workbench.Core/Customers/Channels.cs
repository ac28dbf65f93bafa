namespace Workbench.Core.Customers;

public static class Channels
{
    public static readonly IReadOnlyList<string> Contact = ["email", "sms", "push", "app", "mail"];
    public static readonly IReadOnlyList<string> Purchase = ["store", "web", "app"];
    public static readonly IReadOnlyList<string> EventChannels = ["web", "app", "store", "email", "sms", "push", "mail"];
    public static readonly IReadOnlyList<string> ConsentStatuses = ["granted", "denied"];
}
