import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "@instagram-connect/react/styles.css";
import "./demo.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

// The host app's own client: the widget and the hooks share its cache (one handle, one profile query).
const queryClient = new QueryClient();

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
