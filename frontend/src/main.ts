import { bootstrapApplication } from '@angular/platform-browser';
import { AUTH_CONFIG, loadAuthConfig } from './app/account/auth-config';
import { appConfig } from './app/app.config';
import { App } from './app/app';

// The issuer (the development one locally, Google in AWS) is runtime config: one build for every environment.
loadAuthConfig(window.location.origin)
  .then((auth) =>
    bootstrapApplication(App, { ...appConfig, providers: [...appConfig.providers, { provide: AUTH_CONFIG, useValue: auth }] }),
  )
  .catch((err) => console.error(err));
