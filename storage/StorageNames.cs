namespace CodingAgent.Storage;

/// <summary>Table and container names (before the configured prefix).</summary>
public static class StorageNames
{
    public const string Runs = "runs";
    public const string Turns = "turns";
    public const string Events = "events";
    public const string ApiKeys = "apikeys";
    public const string RunSecrets = "runsecrets";
    public const string Prompts = "prompts";
    public const string Patches = "patches";
    public const string Idempotency = "idempotency";
    public const string ModelUsage = "modelusage";
    public const string Accounts = "accounts";
    public const string SessionSlots = "sessionslots";
    public const string QueueCommands = "queuecommands";
    public const string Notifications = "notifications";
    public const string Deliveries = "deliveries";
    public const string Subscriptions = "subscriptions";
    public const string UsageLedger = "usageledger";

    public static string TurnKey(int turn) => turn.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static string SeqKey(long seq) => seq.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}
