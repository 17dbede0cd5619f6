using System.Globalization;
using System.Text.Json.Nodes;
using CodingAgent.Configuration;
using CodingAgent.Functions;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Unit.Hosting;

/// <summary>The Functions host takes its queue settings from host.json, the self-host from QueueOptions: they must agree.</summary>
public sealed class QueueSettingsTests
{
    private static readonly JsonNode Queues = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "host.json")))!["extensions"]!["queues"]!;

    [Fact]
    public void HostJson_AndTheSelfHostsDefaults_Agree()
    {
        QueueOptions defaults = new();

        Assert.Equal(defaults.MaxDequeueCount, (int)Queues["maxDequeueCount"]!);
        Assert.Equal(defaults.BatchSize, (int)Queues["batchSize"]!);
        Assert.Equal(TimeSpan.FromMilliseconds(defaults.MaxPollingIntervalMilliseconds), TimeSpan.Parse((string)Queues["maxPollingInterval"]!, CultureInfo.InvariantCulture));
        Assert.Equal("base64", (string)Queues["messageEncoding"]!);
    }

    [Fact]
    public void TheTriggersQueueName_IsTheConfiguredOne_AndItsSampleValueTheDefault()
    {
        JsonNode values = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "local.settings.sample.json")))!["Values"]!;

        Assert.Equal("%CodingAgent__Queue__Name%", QueueCommandFunction.QueueName);
        Assert.Equal(new QueueOptions().Name, (string)values["CodingAgent__Queue__Name"]!);
    }
}
