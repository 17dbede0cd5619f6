using System.Text.Json.Nodes;
using CodingAgent.Model;

namespace CodingAgent.Api.OpenApi;

/// <summary>
/// The Logic Apps / Power Platform custom connector: OpenAPI 2.0 with <c>x-ms-*</c> extensions, produced from the OpenAPI
/// 3.1 document (never written by hand, so the two cannot drift). What 2.0 cannot say is brought down: request bodies
/// become a <c>body</c> parameter, <c>type: [T, "null"]</c> becomes <c>type: T</c> with <c>x-nullable</c>,
/// <c>components/schemas</c> become <c>definitions</c>.
/// </summary>
public static class ConnectorDocumentBuilder
{
    /// <summary>The host written into the committed connector; the served one names the host that answered.</summary>
    public const string PlaceholderHost = "your-function-app.azurewebsites.net";

    private static readonly HashSet<string> Important = new(StringComparer.Ordinal) { "CreateRun", "PostMessage", "GetRun", "GetTurn", "Subscribe" };

    // Not for workflows: the sandboxes' model gateway, the host's health probe, the SSE stream (Logic Apps cannot read one),
    // and the documents themselves.
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal) { "ModelGateway", "Health", "StreamRun", "OpenApi", "Connector" };

    public static JsonObject Build(JsonObject openApi, string host)
    {
        ArgumentNullException.ThrowIfNull(openApi);
        JsonObject paths = [];
        foreach ((string path, JsonNode? item) in (JsonObject)openApi["paths"]!)
        {
            JsonObject operations = [];
            foreach ((string method, JsonNode? operation) in (JsonObject)item!)
            {
                operations[method] = Operation((JsonObject)operation!);
            }

            paths[path] = operations;
        }

        JsonObject definitions = [];
        foreach ((string name, JsonNode? schema) in (JsonObject?)openApi["components"]?["schemas"] ?? [])
        {
            definitions[name] = Schema(schema);
        }

        JsonObject info = (JsonObject)openApi["info"]!.DeepClone();
        info["title"] = "Coding Agent";
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = info,
            ["host"] = host,
            ["basePath"] = "/",
            ["schemes"] = new JsonArray("https"),
            ["consumes"] = new JsonArray("application/json"),
            ["produces"] = new JsonArray("application/json"),
            ["paths"] = paths,
            ["definitions"] = definitions,
            ["securityDefinitions"] = new JsonObject
            {
                ["apiKey"] = new JsonObject
                {
                    ["type"] = "apiKey",
                    ["in"] = "header",
                    ["name"] = "Authorization",
                    ["description"] = "Bearer crt_… (an API key of the account, with the word Bearer).",
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }),
            ["x-ms-connector-metadata"] = new JsonArray(
                new JsonObject { ["propertyName"] = "Website", ["propertyValue"] = "https://github.com/" },
                new JsonObject { ["propertyName"] = "Categories", ["propertyValue"] = "IT Operations;Productivity" }),
        };
    }

    private static JsonObject Operation(JsonObject operation)
    {
        string id = (string)operation["operationId"]!;
        JsonArray parameters = [];
        foreach (JsonNode? parameter in (JsonArray?)operation["parameters"] ?? [])
        {
            parameters.Add(Parameter((JsonObject)parameter!, id));
        }

        HashSet<string> produces = new(StringComparer.Ordinal);
        if (operation["requestBody"] is JsonObject body)
        {
            JsonObject schema = Schema(body["content"]?.AsObject().FirstOrDefault().Value?["schema"]);
            if (id == "Subscribe" && schema["$ref"] is not null)
            {
                // The webhook trigger: Logic Apps fills the callback URL in itself.
                schema = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("callbackUrl"),
                    ["properties"] = new JsonObject
                    {
                        ["callbackUrl"] = new JsonObject
                        {
                            ["type"] = "string", ["x-ms-notification-url"] = true, ["x-ms-visibility"] = "internal", ["description"] = "Where the run calls back.",
                        },
                        ["until"] = new JsonObject
                        {
                            ["type"] = "string", ["enum"] = new JsonArray(SubscriptionUntil.Idle, SubscriptionUntil.Ended), ["default"] = SubscriptionUntil.Idle,
                            ["x-ms-summary"] = "Until", ["description"] = "idle: the run's latest turn settled; ended: the run ended.",
                        },
                    },
                };
            }

            parameters.Add(new JsonObject
            {
                ["name"] = "body", ["in"] = "body", ["required"] = (bool?)body["required"] ?? false, ["schema"] = schema,
                ["description"] = (string?)body["description"] ?? "The request body.",
            });
        }

        JsonObject responses = [];
        foreach ((string status, JsonNode? response) in (JsonObject)operation["responses"]!)
        {
            JsonObject converted = new() { ["description"] = (string?)response!["description"] ?? status };
            if (response["content"] is JsonObject content && content.FirstOrDefault() is { Key: { } type, Value: { } media })
            {
                produces.Add(type);
                converted["schema"] = Schema(media["schema"]);
            }

            if (response["headers"] is JsonObject headers)
            {
                JsonObject convertedHeaders = [];
                foreach ((string name, JsonNode? header) in headers)
                {
                    convertedHeaders[name] = new JsonObject { ["type"] = "string", ["description"] = (string?)header!["description"] ?? name };
                }

                converted["headers"] = convertedHeaders;
            }

            responses[status] = converted;
        }

        JsonObject result = new()
        {
            ["operationId"] = id,
            ["summary"] = Summary((string?)operation["summary"] ?? id),
            ["description"] = (string?)operation["description"] ?? (string?)operation["summary"] ?? id,
            ["x-ms-visibility"] = Internal.Contains(id) ? "internal" : Important.Contains(id) ? "important" : "advanced",
            ["parameters"] = parameters,
            ["responses"] = responses,
        };
        if (produces.Count > 0)
        {
            result["produces"] = new JsonArray([.. produces.Order(StringComparer.Ordinal).Select(p => (JsonNode)p)]);
        }

        if (operation["tags"] is JsonArray tags)
        {
            result["tags"] = tags.DeepClone();
        }

        if (id == "Subscribe")
        {
            result["x-ms-trigger"] = "single";
        }

        if (operation["security"] is JsonArray { Count: 0 })
        {
            result["security"] = new JsonArray();
        }

        return result;
    }

    private static JsonObject Parameter(JsonObject parameter, string operationId)
    {
        string name = (string)parameter["name"]!;
        JsonObject schema = Schema(parameter["schema"]);
        JsonObject converted = new()
        {
            ["name"] = name,
            ["in"] = (string)parameter["in"]!,
            ["required"] = (bool?)parameter["required"] ?? false,
            ["type"] = (string?)schema["type"] ?? "string",
            ["description"] = (string?)parameter["description"] ?? name,
            ["x-ms-summary"] = Summary(name),
        };
        if (schema["format"] is JsonNode format)
        {
            converted["format"] = format.DeepClone();
        }

        if (name == "runId" && operationId != "ListRuns")
        {
            // Pick a run from the account's runs instead of typing its id.
            converted["x-ms-dynamic-values"] = new JsonObject
            {
                ["operationId"] = "ListRuns", ["value-collection"] = "runs", ["value-path"] = "id", ["value-title"] = "id",
            };
        }

        return converted;
    }

    // A summary is at most 80 characters and ends without a period in the designer.
    private static string Summary(string text)
    {
        string first = text.Split(". ", 2)[0].TrimEnd('.');
        return first.Length <= 80 ? first : first[..77].TrimEnd() + "...";
    }

    private static JsonObject Schema(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return new JsonObject { ["type"] = "string" };
        }

        JsonObject converted = [];
        foreach ((string key, JsonNode? value) in schema)
        {
            switch (key)
            {
                case "$ref":
                    converted["$ref"] = ((string)value!).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
                    break;
                case "type" when value is JsonArray types:
                    string[] named = [.. types.Select(t => (string)t!).Where(t => t != "null")];
                    converted["type"] = named.Length == 1 ? named[0] : "string";
                    if (named.Length < types.Count)
                    {
                        converted["x-nullable"] = true;
                    }

                    break;
                case "properties":
                    JsonObject properties = [];
                    foreach ((string name, JsonNode? property) in (JsonObject)value!)
                    {
                        properties[name] = Schema(property);
                    }

                    converted["properties"] = properties;
                    break;
                case "items" or "additionalProperties" when value is JsonObject:
                    converted[key] = Schema(value);
                    break;
                case "anyOf" or "oneOf" when value is JsonArray options:
                    // 2.0 has neither: a nullable reference keeps the reference; anything else is described as an object.
                    JsonNode? single = options.Count(o => (string?)o?["type"] != "null") == 1 ? options.First(o => (string?)o?["type"] != "null") : null;
                    foreach ((string k, JsonNode? v) in single is JsonObject one ? Schema(one) : new JsonObject { ["type"] = "object" })
                    {
                        converted[k] = v?.DeepClone();
                    }

                    converted["x-nullable"] = true;
                    break;
                case "const":
                    converted["enum"] = new JsonArray(value?.DeepClone());
                    break;
                case "type" or "format" or "description" or "enum" or "required" or "default" or "minimum" or "maximum" or "minLength" or "maxLength"
                    or "pattern" or "minItems" or "maxItems" or "title" or "additionalProperties":
                    converted[key] = value?.DeepClone();
                    break;
            }
        }

        return converted;
    }
}
