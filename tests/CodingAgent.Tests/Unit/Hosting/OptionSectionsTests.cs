using System.Reflection;
using CodingAgent.Configuration;
using CodingAgent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Unit.Hosting;

/// <summary>
/// Services ask for one section of the settings; each must be the bound and validated root's own section, never a
/// default-constructed one (which the options system would silently hand out for a section nobody registered).
/// </summary>
public sealed class OptionSectionsTests
{
    public static TheoryData<string> Sections() => [.. typeof(CodingAgentOptions).GetProperties().Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Sections))]
    public void EverySection_IsTheConfiguredRootsOwnObject(string section)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodingAgent:Limits:MaxQueuedTurns"] = "7",
            ["CodingAgent:Agent:TurnTimeoutSeconds"] = "42",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddLogging().AddCodingAgent(configuration, HostProfile.CommandLine).BuildServiceProvider();
        CodingAgentOptions root = services.GetRequiredService<IOptions<CodingAgentOptions>>().Value;
        PropertyInfo property = typeof(CodingAgentOptions).GetProperty(section)!;

        object options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(property.PropertyType));
        object? resolved = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);

        Assert.Same(property.GetValue(root), resolved);
        Assert.Equal(7, services.GetRequiredService<IOptions<LimitOptions>>().Value.MaxQueuedTurns);
        Assert.Equal(42, services.GetRequiredService<IOptions<AgentOptions>>().Value.TurnTimeoutSeconds);
    }
}
