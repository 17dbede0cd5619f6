using System.Text.Json;
using Azure.Data.Tables;
using CodingAgent.Json;

namespace CodingAgent.Storage;

/// <summary>Reads and writes structured members of table entities as JSON strings.</summary>
internal static class EntityJson
{
    public static void Put<T>(TableEntity entity, string name, T? value)
    {
        if (value is not null)
        {
            entity[name] = JsonSerializer.Serialize(value, JsonDefaults.Options);
        }
    }

    public static T? Get<T>(TableEntity entity, string name) =>
        entity.GetString(name) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, JsonDefaults.Options) : default;
}
