import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';
import { loadRuntimeConfig, runtimeConfigProviders } from './app/runtime-config';

// The issuer (the development one locally, Google in AWS) and the payment provider are runtime config:
// one build for every environment.
loadRuntimeConfig(window.location.origin)
  .then((config) =>
    bootstrapApplication(App, { ...appConfig, providers: [...appConfig.providers, ...runtimeConfigProviders(config)] }),
  )
  .catch((err) => console.error(err));
