namespace CodingAgent.Hosting;

/// <summary>The Functions app's own base URL from <c>WEBSITE_HOSTNAME</c>: https in Azure, http for a local <c>func start</c>.</summary>
public static class FunctionsAddress
{
    public static string? Of(string? websiteHostName) => websiteHostName switch
    {
        null or "" => null,
        var local when local.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || local.StartsWith("127.0.0.1", StringComparison.Ordinal) => "http://" + local,
        var host => "https://" + host,
    };
}
