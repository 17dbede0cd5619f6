using CodingAgent.Application.Requests;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;

namespace CodingAgent.Tests.OpenApi;

/// <summary>The generated OpenAPI document covers every HTTP function of the catalog and is self-contained.</summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly System.Reflection.Assembly App = typeof(CodingAgent.Functions.HealthFunction).Assembly;
    private static readonly JsonObject Document = OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(App));

    public static TheoryData<string> HttpFunctions() =>
        [.. FunctionCatalog.Discover(App).Where(f => f.Kind == FunctionKind.Http).Select(f => f.Name)];

    // A route missing from the document, an operation without answers or an undeclared {parameter} fails here.
    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Document_DescribesEveryHttpFunction(string name)
    {
        FunctionEntry function = FunctionCatalog.Discover(App).Single(f => f.Name == name);
        string route = function.Route ?? function.Name;
        string path = "/api/" + RouteParameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");

        Assert.True(Document["paths"]![path] is JsonObject, $"{path} ({name}) is missing from the OpenAPI document.");
        foreach (string method in function.HttpMethods)
        {
            JsonObject operation = Assert.IsType<JsonObject>(Document["paths"]![path]![method.ToLowerInvariant()]);
            Assert.StartsWith(name, (string)operation["operationId"]!, StringComparison.Ordinal);
            Assert.NotEmpty(Assert.IsType<JsonObject>(operation["responses"]));
            JsonArray parameters = operation["parameters"] as JsonArray ?? [];
            foreach (Match parameter in RouteParameter().Matches(route))
            {
                Assert.Contains(parameters, p => (string)p!["in"]! == "path" && (string)p["name"]! == parameter.Groups["name"].Value
                    && (bool)p["required"]!);
            }
        }
    }

    [Fact]
    public void Document_IsOpenApi3WithResolvableReferences()
    {
        Assert.StartsWith("3.", (string)Document["openapi"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)Document["info"]?["title"]));
        Assert.False(string.IsNullOrEmpty((string?)Document["info"]?["version"]));

        List<string> references = [];
        CollectReferences(Document, references);
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.True(Resolve(Document, reference) is not null, $"{reference} does not resolve."));
    }

    [Fact]
    public void Document_DescribesAuthProblemsAndHeaders()
    {
        JsonObject createRun = Document["paths"]!["/api/v1/coding-agent/runs"]!["post"]!.AsObject();
        Assert.Equal("write:builder", (string)createRun["security"]![0]!["apiKey"]![0]!);
        Assert.Contains(createRun["parameters"]!.AsArray(), p => (string)p!["name"]! == KnownHeaders.IdempotencyKey && (string)p["in"]! == "header");
        Assert.Equal("#/components/schemas/CreateRunRequest", (string)createRun["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        Assert.NotNull(createRun["responses"]!["202"]!["headers"]!["Retry-After"]);
        JsonNode badRequest = createRun["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!;
        Assert.Equal("invalid_request", (string)badRequest["properties"]!["code"]!["const"]!);

        JsonObject health = Document["paths"]!["/api/health"]!["get"]!.AsObject();
        Assert.Null(health["security"]);
    }

    [Fact]
    public void Schemas_UseTheWireNames()
    {
        JsonObject run = Document["components"]!["schemas"]!["RunResource"]!["properties"]!.AsObject();
        Assert.True(run.ContainsKey("sessionActive"));
        Assert.Equal("string", (string)run["id"]!["type"]!);
        Assert.Equal("date-time", (string)run["createdAt"]!["format"]!);
        Assert.Equal("integer", (string)run["currentTurn"]!["type"]!);
    }

    // Required = always sent: `events` is left out unless asked for, and every member of a request body is optional.
    [Fact]
    public void Schemas_RequireOnlyMembersThatAreAlwaysPresent()
    {
        JsonObject schemas = Document["components"]!["schemas"]!.AsObject();
        Assert.Equal(["run"], schemas["RunEnvelope"]!["required"]!.AsArray().Select(n => (string)n!));
        Assert.Null(schemas["MessageRequest"]!["required"]);
        Assert.Null(schemas["CreateRunRequest"]!["required"]);
        Assert.Contains("id", schemas["RunResource"]!["required"]!.AsArray().Select(n => (string)n!));
    }

    private static void CollectReferences(JsonNode? node, List<string> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? value) in obj)
                {
                    if (key == "$ref")
                    {
                        references.Add((string)value!);
                    }
                    else
                    {
                        CollectReferences(value, references);
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    CollectReferences(item, references);
                }

                break;
        }
    }

    private static JsonNode? Resolve(JsonNode document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? current = document;
        foreach (string segment in reference[2..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            current = current is JsonObject obj ? obj[segment] : null;
        }

        return current;
    }

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
