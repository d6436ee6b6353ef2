import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { SiteApp } from "./site-app.tsx";
import "@instagram-connect/react/styles.css";
import "../demo.css";

const root = document.getElementById("root");
if (!root) throw new Error("site.html has no #root");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={new QueryClient()}>
      <SiteApp />
    </QueryClientProvider>
  </StrictMode>,
);
