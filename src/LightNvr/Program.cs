// Skeleton entry point: replaced by the foundation work (config, hosting, data, auth, API).
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/api/health", () => Results.Json(new { healthy = true }));
app.Run();
