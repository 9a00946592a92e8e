export { siteRouter } from './site.routes';
