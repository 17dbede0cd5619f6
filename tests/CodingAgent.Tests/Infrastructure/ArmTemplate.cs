using System.Text.Json.Nodes;

namespace CodingAgent.Tests.Infrastructure;

/// <summary>The ARM template <c>bicep build</c> made of infra/main.bicep, with each module's nested template walked.</summary>
public sealed class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    /// <summary>Every resource, in modules too, with the template (module) that declares it.</summary>
    public IEnumerable<(JsonObject Resource, JsonObject Template)> Resources() => Walk(Root);

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources().Where(r => (string?)r.Resource["type"] == type).Select(r => r.Resource);

    public JsonObject Single(string type) => OfType(type).Single();

    private static IEnumerable<(JsonObject, JsonObject)> Walk(JsonObject template)
    {
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(kv => kv.Value),
            _ => [],
        };
        foreach (JsonObject resource in resources.OfType<JsonObject>())
        {
            yield return (resource, template);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Walk(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
