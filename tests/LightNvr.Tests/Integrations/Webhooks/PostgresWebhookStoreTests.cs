using LightNvr.Data;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>Every test of <see cref="WebhookStoreTests"/> against PostgreSQL (issue 19: one store layer, both engines).</summary>
public sealed class PostgresWebhookStoreTests : WebhookStoreTests
{
    protected override DatabaseEngine Engine => DatabaseEngine.Postgresql;
}
