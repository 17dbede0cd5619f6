using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace CodingAgent.Api.OpenApi;

/// <summary>
/// JSON schemas of C# types exactly as the API serializes them (<see cref="JsonSchemaExporter"/> over the product's options).
/// Every object type of the application becomes one entry of <c>components/schemas</c>, referenced by <c>$ref</c>.
/// </summary>
internal sealed class OpenApiSchemas
{
    public const string ComponentsPointer = "#/components/schemas/";

    private readonly JsonSerializerOptions options;
    private readonly JsonSchemaExporterOptions exporterOptions;
    private readonly Dictionary<string, Type> componentTypes = new(StringComparer.Ordinal);

    public OpenApiSchemas(JsonSerializerOptions options)
    {
        this.options = options;
        exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = ReplaceObjectWithReference,
        };
    }

    /// <summary>Schema name → schema, for <c>components/schemas</c>.</summary>
    public JsonObject Components { get; } = [];

    /// <summary>The schema of <paramref name="type"/>: a <c>$ref</c> for an object type, inline otherwise.</summary>
    public JsonNode SchemaFor(Type type) => options.GetJsonSchemaAsNode(type, exporterOptions);

    private JsonNode ReplaceObjectWithReference(JsonSchemaExporterContext context, JsonNode schema)
    {
        Type type = context.TypeInfo.Type;
        if (schema is JsonValue { } anything && anything.GetValueKind() == JsonValueKind.True)
        {
            return new JsonObject(); // JsonElement: any value; `{}` rather than `true`, which many OpenAPI tools reject.
        }

        if (context.TypeInfo.Kind != JsonTypeInfoKind.Object || schema is not JsonObject objectSchema || IsFrameworkType(type))
        {
            return schema;
        }

        bool nullable = RemoveNullType(objectSchema);
        SetRequired(objectSchema, context.TypeInfo);
        Register(type, objectSchema);
        JsonObject reference = new() { ["$ref"] = ComponentsPointer + type.Name };
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
    }

    private void Register(Type type, JsonObject schema)
    {
        if (componentTypes.TryGetValue(type.Name, out Type? registered))
        {
            if (registered != type)
            {
                throw new InvalidOperationException(
                    $"Two types are named '{type.Name}' ({registered.FullName}, {type.FullName}); OpenAPI schema names must be unique.");
            }

            return;
        }

        if (schema.ContainsKey("$ref"))
        {
            throw new InvalidOperationException($"The schema of {type.FullName} is a reference the document cannot resolve (a recursive type?).");
        }

        componentTypes[type.Name] = type;
        Components[type.Name] = schema.DeepClone();
    }

    // The exporter calls every constructor parameter required, which is wrong for request bodies. Here a member is required if
    // it must be present (C# `required`) or is never null: responses always write every member (nulls included, except where
    // [JsonIgnore(WhenWritingNull)] says otherwise), so non-nullable members are always there; request members are nullable.
    private static void SetRequired(JsonObject schema, JsonTypeInfo typeInfo)
    {
        string[] required = typeInfo.Properties.Where(p => p.IsRequired || !p.IsGetNullable).Select(p => p.Name).ToArray();
        schema.Remove("required");
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required.Select(name => (JsonNode)name).ToArray());
        }
    }

    // ["object", "null"] → "object": the component describes the type; nullability belongs to where it is used.
    private static bool RemoveNullType(JsonObject schema)
    {
        if (schema["type"] is not JsonArray types || !types.Any(t => (string?)t == "null"))
        {
            return false;
        }

        string[] remaining = types.Select(t => (string)t!).Where(t => t != "null").ToArray();
        schema["type"] = remaining.Length == 1 ? remaining[0] : new JsonArray(remaining.Select(t => (JsonNode)t).ToArray());
        return true;
    }

    private static bool IsFrameworkType(Type type) =>
        type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
}
